// netanalysis web app: talks to the JSON API of docs/api.md. Names from files are untrusted text:
// they reach the page only through textContent / option.text, never as HTML.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const FIELDS = ["nodes", "ties", "survey", "participations", "aliases", "survey_mapping"];
  const MAIN_OPTIONS = new Set(["scheme", "directed", "seed", "permutations"]);
  const state = { csrf: null, options: [], roles: {}, job: null, timer: null };

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  async function api(method, url, body) {
    const init = { method, headers: {}, credentials: "same-origin" };
    if (method !== "GET") init.headers["X-CSRF-Token"] = state.csrf;
    if (body) init.body = body;
    const r = await fetch(url, init);
    let data = null;
    try { data = await r.json(); } catch (e) { data = null; }
    return { ok: r.ok, status: r.status, data: data || {} };
  }

  function clearErrors() {
    $("form-error").hidden = true;
    document.querySelectorAll(".field-error").forEach((n) => n.remove());
    document.querySelectorAll("label.file.has-error").forEach((n) => n.classList.remove("has-error"));
  }

  function showError(data) {
    const msg = data.error || "something went wrong";
    const label = data.field ? document.querySelector(`label.file[data-field="${data.field}"]`) : null;
    if (label) {
      label.classList.add("has-error");
      label.appendChild(el("span", msg, "field-error"));
    }
    $("form-error").textContent = msg;
    $("form-error").hidden = false;
  }

  // ------------------------------------------------------------------ files and previews
  function renderPreview(p) {
    const box = el("div", null, "preview");
    box.id = "preview-" + p.field;
    box.appendChild(el("h3", `${p.file} — ${p.n_rows} rows, ${p.columns.length} columns`));
    box.appendChild(el("p", `encoding ${p.encoding || "?"}, delimiter ${JSON.stringify(p.delimiter || "")}`, "meta"));
    const scroll = el("div", null, "scroll");
    const table = el("table");
    const head = el("tr");
    p.columns.forEach((c) => head.appendChild(el("th", c)));
    table.appendChild(el("thead")).appendChild(head);
    const body = el("tbody");
    p.rows.forEach((row) => {
      const tr = el("tr");
      row.forEach((v) => tr.appendChild(el("td", v)));
      body.appendChild(tr);
    });
    table.appendChild(body);
    scroll.appendChild(table);
    box.appendChild(scroll);
    const old = $("preview-" + p.field);
    if (old) old.replaceWith(box); else $("previews").appendChild(box);
  }

  function renderRoles() {
    const holder = $("roles");
    holder.textContent = "";
    Object.entries(state.roles).forEach(([field, info]) => {
      Object.entries(info.roles).forEach(([role, guess]) => {
        const label = el("label", `${info.file}: ${role.replace(/_/g, " ")}`);
        const sel = document.createElement("select");
        sel.dataset.option = role;
        sel.dataset.field = field;
        sel.appendChild(new Option("(default / none)", ""));
        info.columns.forEach((c) => sel.appendChild(new Option(c, c, false, c === guess)));
        label.appendChild(sel);
        holder.appendChild(label);
      });
    });
  }

  async function onFile(field, input) {
    clearErrors();
    const old = $("preview-" + field);
    if (old) old.remove();
    delete state.roles[field];
    if (!input.files.length) { renderRoles(); return; }
    const fd = new FormData();
    fd.append(field, input.files[0]);
    const r = await api("POST", "/api/preview", fd);
    if (!r.ok) { showError({ ...r.data, field }); renderRoles(); return; }
    renderPreview(r.data);
    state.roles[field] = { file: r.data.file, columns: r.data.columns, roles: r.data.roles || {} };
    renderRoles();
  }

  // ------------------------------------------------------------------ options
  function renderMoreOptions() {
    const holder = $("more-options");
    holder.textContent = "";
    state.options.forEach((o) => {
      if (o.file || MAIN_OPTIONS.has(o.name) || o.name.endsWith("-column")) return;
      let input;
      const label = el("label", o.name);
      label.title = o.help;
      if (o.flag) {
        label.className = "check";
        input = document.createElement("input");
        input.type = "checkbox";
        label.textContent = "";
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + o.name));
      } else if (o.choices && o.choices.length) {
        input = document.createElement("select");
        input.appendChild(new Option("(default)", ""));
        o.choices.forEach((c) => input.appendChild(new Option(c, c)));
        label.appendChild(input);
      } else {
        input = document.createElement("input");
        input.type = "text";
        input.placeholder = o.default === null || o.default === undefined ? "" : String(o.default);
        label.appendChild(input);
      }
      input.dataset.option = o.name;
      input.dataset.flag = o.flag ? "1" : "";
      holder.appendChild(label);
    });
  }

  function collectOptions() {
    const opts = { scheme: $("opt-scheme").value, directed: $("opt-directed").checked };
    const seed = $("opt-seed").value, perms = $("opt-permutations").value;
    if (seed !== "") opts.seed = Number(seed);
    if (perms !== "") opts.permutations = Number(perms);
    document.querySelectorAll("#roles select").forEach((s) => { if (s.value) opts[s.dataset.option.replace(/_/g, "-")] = s.value; });
    document.querySelectorAll("#more-options [data-option]").forEach((i) => {
      if (i.dataset.flag) { if (i.checked) opts[i.dataset.option] = true; }
      else if (i.value !== "") opts[i.dataset.option] = i.value;
    });
    return opts;
  }

  function formData() {
    const fd = new FormData();
    FIELDS.forEach((f) => { const i = $("file-" + f); if (i && i.files.length) fd.append(f, i.files[0]); });
    fd.append("options", JSON.stringify(collectOptions()));
    return fd;
  }

  async function validate() {
    clearErrors();
    $("account").hidden = true;
    const r = await api("POST", "/api/validate", formData());
    if (!r.ok) { showError(r.data); return; }
    $("account").textContent = r.data.account.join("\n");
    $("account").hidden = false;
  }

  // ------------------------------------------------------------------ running
  async function run() {
    clearErrors();
    $("btn-run").disabled = true;
    const r = await api("POST", "/api/analyses", formData());
    $("btn-run").disabled = false;
    if (!r.ok) { showError(r.data); return; }
    $("account").textContent = (r.data.account || []).join("\n");
    $("account").hidden = !(r.data.account || []).length;
    follow(r.data.id);
  }

  function follow(id) {
    state.job = id;
    $("step-run").hidden = false;
    ["link-report", "link-map", "link-download", "report-frame"].forEach((x) => { $(x).hidden = true; });
    $("findings").textContent = "";
    $("btn-cancel").hidden = false;
    if (state.timer) clearInterval(state.timer);
    const tick = async () => {
      const r = await api("GET", `/api/analyses/${id}`);
      if (!r.ok) { clearInterval(state.timer); return; }
      showStatus(r.data);
      if (!["queued", "running"].includes(r.data.state)) { clearInterval(state.timer); loadHistory(); }
    };
    state.timer = setInterval(tick, 1000);
    tick();
  }

  function showStatus(s) {
    $("progress-bar").style.width = Math.round(100 * (s.progress || 0)) + "%";
    const words = { queued: "Waiting for a free worker…", running: `Running: ${s.stage || "starting"}…`,
      done: "Done.", failed: "Stopped: " + (s.error || "error"), cancelled: "Cancelled." };
    $("run-status").textContent = words[s.state] || s.state;
    $("run-status").className = s.state === "failed" ? "error" : "";
    $("btn-cancel").hidden = !["queued", "running"].includes(s.state);
    if (s.state === "done" && s.links) showResult(s);
  }

  async function showResult(s) {
    $("link-report").href = s.links.report; $("link-report").hidden = false;
    $("link-map").href = s.links.map; $("link-map").hidden = false;
    $("link-download").href = s.links.download; $("link-download").hidden = false;
    const frame = $("report-frame");
    if (frame.getAttribute("src") !== s.links.report) frame.src = s.links.report;
    frame.hidden = false;
    const r = await fetch(`/api/analyses/${s.id}/files/findings.json`);
    if (!r.ok) return;
    const data = await r.json();
    const list = Array.isArray(data) ? data : (data.findings || []);
    const box = $("findings");
    box.textContent = "";
    box.appendChild(el("h3", "Key findings"));
    const ol = el("ol");
    list.slice(0, 8).forEach((f) => ol.appendChild(el("li", f.statement || f.text || "")));
    box.appendChild(ol);
  }

  async function cancel() {
    if (state.job) await api("POST", `/api/analyses/${state.job}/cancel`);
  }

  // ------------------------------------------------------------------ history
  async function loadHistory() {
    const r = await api("GET", "/api/analyses");
    const body = document.querySelector("#history tbody");
    body.textContent = "";
    (r.data.analyses || []).forEach((a) => {
      const tr = el("tr");
      tr.appendChild(el("td", new Date(a.created * 1000).toLocaleString()));
      tr.appendChild(el("td", Object.values(a.files || {}).join(", ")));
      tr.appendChild(el("td", a.state + (a.error ? ": " + a.error : "")));
      const td = el("td");
      const open = el("button", "Show");
      open.type = "button";
      open.addEventListener("click", () => follow(a.id));
      const del = el("button", "Delete");
      del.type = "button";
      del.addEventListener("click", async () => { await api("DELETE", `/api/analyses/${a.id}`); loadHistory(); });
      td.appendChild(open); td.appendChild(del);
      tr.appendChild(td);
      body.appendChild(tr);
    });
  }

  async function init() {
    const s = await api("GET", "/api/session");
    state.csrf = s.data.csrf_token;
    const o = await api("GET", "/api/options");
    state.options = o.data.options || [];
    renderMoreOptions();
    FIELDS.forEach((f) => { const i = $("file-" + f); if (i) i.addEventListener("change", () => onFile(f, i)); });
    $("btn-validate").addEventListener("click", validate);
    $("btn-run").addEventListener("click", run);
    $("btn-cancel").addEventListener("click", cancel);
    document.body.dataset.ready = "1";
    loadHistory();
  }

  window.netanalysisApp = { state, follow };
  document.addEventListener("DOMContentLoaded", init);
})();
