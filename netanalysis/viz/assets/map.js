/* netanalysis network map. Every string from the data is put into the page with textContent,
   new Option(...) or as a DOM element built that way: never as markup. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("map-data").textContent);
  var DIM = "#e4e4e4", DIM_EDGE = "#ececec", HIGHLIGHT = "#D55E00", GREY = "#9a9a9a";
  var COMMUNITY_OTHER = "#999999";
  var state = { view: 0, colorBy: DATA.colorBy || "sector", sector: "", community: "", focus: null,
                matches: null, network: null, nodes: null, edges: null, drawn: false };
  window.netmap = state;

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  // ------------------------------------------------------------------ texts
  $("title").textContent = DATA.title;
  document.title = DATA.title;

  function communityColor(k) {
    var c = DATA.communities[k];
    return c ? c.color : COMMUNITY_OTHER;
  }
  function baseColor(n, view) {
    if (view.kind === "actors" && state.colorBy === "community") {
      return n.k === null || n.k === undefined ? COMMUNITY_OTHER : communityColor(n.k);
    }
    return DATA.sectors[n.g].color;
  }
  function baseShape(n, view) {
    if (view.kind === "actors" && state.colorBy === "community") { return "dot"; }
    return DATA.sectors[n.g].shape || "dot";
  }

  // ------------------------------------------------------------------ tooltips (DOM elements)
  function tipElement(name, rows) {
    var box = el("div", null, "tip");
    box.appendChild(el("div", name, "tip-name"));
    var table = el("table");
    (rows || []).forEach(function (kv) {
      var tr = el("tr");
      tr.appendChild(el("th", kv[0]));
      tr.appendChild(el("td", kv[1]));
      table.appendChild(tr);
    });
    box.appendChild(table);
    return box;
  }

  // ------------------------------------------------------------------ controls
  function fillSelect(select, items, keepFirst) {
    while (select.options.length > (keepFirst ? 1 : 0)) { select.remove(select.options.length - 1); }
    items.forEach(function (it) { select.add(new Option(it[0], it[1])); });
  }
  var viewSelect = $("view");
  fillSelect(viewSelect, DATA.views.map(function (v, i) { return [v.title, String(i)]; }), false);
  if (DATA.views.length < 2) { $("view-box").style.display = "none"; }
  var colorSelect = $("color-by");
  if (DATA.communities.length) { colorSelect.add(new Option("community", "community")); }
  colorSelect.value = state.colorBy;
  fillSelect($("filter-sector"), DATA.sectors.map(function (s, i) {
    return [s.label + " (" + s.count.toLocaleString("en") + ")", String(i)];
  }), true);
  if (DATA.communities.length) {
    fillSelect($("filter-community"), DATA.communities.filter(function (c) { return c.count > 1; })
      .map(function (c) { return [c.label + " (" + c.count.toLocaleString("en") + ")", c.label]; }), true);
  } else {
    $("community-box").style.display = "none";
  }

  // ------------------------------------------------------------------ legend
  function legendEntry(parent, swatch, text, count) {
    var row = el("div", null, "entry");
    row.appendChild(swatch);
    row.appendChild(el("span", text));
    if (count !== undefined) { row.appendChild(el("span", count.toLocaleString("en"), "count")); }
    parent.appendChild(row);
  }
  function dot(color, shape) {
    var s = el("span", null, "swatch " + (shape || "dot"));
    s.style.backgroundColor = color;
    return s;
  }
  function line(color, dashed, width) {
    var s = el("span", null, "line" + (dashed ? " dashed" : ""));
    s.style.borderTopColor = color;
    if (width) { s.style.borderTopWidth = width + "px"; }
    return s;
  }
  function renderLegend() {
    var view = DATA.views[state.view];
    var nodesBox = $("legend-nodes"), tiesBox = $("legend-ties");
    clear(nodesBox); clear(tiesBox); clear($("notes"));
    if (view.kind === "actors" && state.colorBy === "community") {
      nodesBox.appendChild(el("h3", "Communities (0 = largest)"));
      var shown = 0;
      DATA.communities.forEach(function (c, i) {
        if (i < 7) { legendEntry(nodesBox, dot(c.color), "community " + c.label, c.count); shown += c.count; }
      });
      var rest = DATA.communities.slice(7).reduce(function (a, c) { return a + c.count; }, 0);
      if (rest) { legendEntry(nodesBox, dot(COMMUNITY_OTHER), "other communities", rest); }
    } else {
      nodesBox.appendChild(el("h3", "Sectors"));
      DATA.sectors.forEach(function (s) { legendEntry(nodesBox, dot(s.color, s.shape), s.label, s.count); });
    }
    tiesBox.appendChild(el("h3", "Ties"));
    if (view.kind === "actors") {
      legendEntry(tiesBox, line(GREY, false), "within a sector");
      legendEntry(tiesBox, line(GREY, true), "across sectors (dashed)");
      if (DATA.mixingGiven) {
        legendEntry(tiesBox, line(HIGHLIGHT, true), "across a weak sector pair");
      }
      tiesBox.appendChild(el("p", "Width: tie strength (weight)."));
      $("legend-size").textContent = "Node size: " + DATA.sizeBy + ". Click an organisation to highlight its partners.";
    } else {
      if (DATA.mixingGiven) {
        tiesBox.appendChild(el("p", "Colour: observed / expected ties (ratio in the sector mixing table)."));
        DATA.ratioLegend.forEach(function (r) { legendEntry(tiesBox, line(r[1], false, 5), r[0]); });
        legendEntry(tiesBox, line(GREY, true, 3), "weak pair (dashed)");
      } else {
        tiesBox.appendChild(el("p", "Run the full analysis to colour ties by observed / expected."));
      }
      tiesBox.appendChild(el("p", "Width and label: number of ties between the sectors."));
      $("legend-size").textContent = "Node size: number of organisations.";
    }
    var notes = [];
    if (view.note) { notes.push(view.note); }
    DATA.notes.forEach(function (n) { if (notes.indexOf(n) < 0) { notes.push(n); } });
    notes.forEach(function (n) { $("notes").appendChild(el("p", n)); });
  }

  // ------------------------------------------------------------------ drawing
  function nodeItems(view) {
    return view.nodes.map(function (n) {
      var item = {};
      Object.keys(n).forEach(function (k) { if (k !== "tip") { item[k] = n[k]; } });
      item.title = tipElement(n.name || n.label, n.tip);
      item.color = baseColor(n, view);
      item.shape = baseShape(n, view);
      return item;
    });
  }
  function edgeItems(view) {
    var labels = view.nodes.map(function (n) { return n.name || n.label; });
    return view.edges.map(function (e, i) {
      var item = {};
      Object.keys(e).forEach(function (k) { if (k !== "tip") { item[k] = e[k]; } });
      item.id = i;
      if (view.edgeTips) {
        var rows = e.tip || [["weight", String(e.w)]];
        if (!e.tip && e.x) { rows = rows.concat([["ties", e.wk ? "across a weak sector pair" : "across sectors"]]); }
        var sep = view.directed ? " \u2192 " : " \u2013 ";
        item.title = tipElement(labels[e.from] + sep + labels[e.to], rows);
      }
      return item;
    });
  }
  function options(view) {
    var big = view.nodes.length > 1000 || view.edges.length > 4000;
    return {
      autoResize: true,
      layout: { improvedLayout: false, randomSeed: 1 },
      physics: view.physics ? {
        enabled: true, solver: "barnesHut",
        barnesHut: { gravitationalConstant: -2500, springLength: 110, springConstant: 0.03, avoidOverlap: 0.1 },
        stabilization: { enabled: true, iterations: 100, fit: true }
      } : { enabled: false },
      interaction: { hover: !big, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                     navigationButtons: false, keyboard: false, multiselect: false },
      nodes: { borderWidth: 1, borderWidthSelected: 3,
               font: { size: view.kind === "sectors" ? 20 : 12, face: "DejaVu Sans, Arial, sans-serif",
                       strokeWidth: 3, strokeColor: "#ffffff", color: "#222222" },
               scaling: { label: { drawThreshold: 8 } } },
      edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 0.5,
               selfReference: { size: 34, angle: Math.PI / 4, renderBehindTheNode: false } }
    };
  }
  function build() {
    var view = DATA.views[state.view];
    state.focus = null; state.matches = null; state.drawn = false;
    if (state.network) { state.network.destroy(); state.network = null; }
    state.nodes = new vis.DataSet(nodeItems(view));
    state.edges = new vis.DataSet(edgeItems(view));
    state.network = new vis.Network($("map"), { nodes: state.nodes, edges: state.edges }, options(view));
    state.network.once("afterDrawing", function () {
      state.drawn = true;
      window.netmapDrawnMs = performance.now();
      document.body.setAttribute("data-map-state", "drawn");
    });
    state.network.on("click", function (p) {
      if (p.nodes && p.nodes.length) { focusOn(p.nodes[0]); } else { focusOn(null); }
    });
    var names = $("names");
    clear(names);
    view.nodes.forEach(function (n) { var o = document.createElement("option"); o.value = n.name || n.label; names.appendChild(o); });
    var actors = view.kind === "actors";
    colorSelect.disabled = !actors;
    $("filter-community").disabled = !actors;
    renderLegend();
    apply();
  }

  // ------------------------------------------------------------------ filters, focus, search
  function apply() {
    var view = DATA.views[state.view];
    var partners = null;
    if (state.focus !== null) {
      partners = {};
      partners[state.focus] = true;
      state.network.getConnectedNodes(state.focus).forEach(function (id) { partners[id] = true; });
    }
    var sector = state.sector === "" ? null : Number(state.sector);
    var community = state.community === "" ? null : Number(state.community);
    var updates = view.nodes.map(function (n) {
      var hidden = (sector !== null && n.g !== sector) ||
                   (community !== null && view.kind === "actors" && n.k !== community);
      var dimmed = (partners && !partners[n.id]) || (state.matches && !state.matches[n.id]);
      var c = dimmed ? DIM : baseColor(n, view);
      return { id: n.id, hidden: hidden, color: c, shape: baseShape(n, view),
               font: Object.assign({}, n.font || {}, { color: dimmed ? "#bbbbbb" : "#222222" }) };
    });
    state.nodes.update(updates);
    if (partners) {
      state.edges.update(view.edges.map(function (e, i) {
        var on = e.from === state.focus || e.to === state.focus;
        return { id: i, color: on ? e.color : { color: DIM_EDGE, opacity: 0.4 } };
      }));
    } else {
      state.edges.update(view.edges.map(function (e, i) { return { id: i, color: e.color }; }));
    }
  }
  function focusOn(id) {
    state.focus = id;
    apply();
  }
  function search(text) {
    var q = text.trim().toLocaleLowerCase();
    var out = $("search-result");
    if (!q) { state.matches = null; out.textContent = ""; apply(); return; }
    var view = DATA.views[state.view];
    var hits = view.nodes.filter(function (n) { return String(n.name || n.label).toLocaleLowerCase().indexOf(q) >= 0; });
    var exact = hits.filter(function (n) { return String(n.name || n.label).toLocaleLowerCase() === q; });
    state.matches = {};
    hits.forEach(function (n) { state.matches[n.id] = true; });
    out.textContent = hits.length === 0 ? "no match" : hits.length === 1 ? "1 match" : hits.length + " matches";
    state.focus = null;
    apply();
    var first = (exact[0] || hits[0]);
    if (first) {
      state.network.selectNodes([first.id]);
      if (hits.length <= 50) {
        state.network.fit({ nodes: hits.map(function (n) { return n.id; }), animation: false });
      }
    }
  }

  viewSelect.addEventListener("change", function () { state.view = Number(viewSelect.value); build(); });
  colorSelect.addEventListener("change", function () { state.colorBy = colorSelect.value; renderLegend(); apply(); });
  $("filter-sector").addEventListener("change", function (ev) { state.sector = ev.target.value; apply(); });
  $("filter-community").addEventListener("change", function (ev) { state.community = ev.target.value; apply(); });
  $("search").addEventListener("input", function (ev) { search(ev.target.value); });

  state.focusOn = focusOn;
  state.search = search;
  state.setView = function (i) { viewSelect.value = String(i); state.view = i; build(); };
  build();
}());
