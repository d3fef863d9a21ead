/* netanalysis network map. Every string from the data is put into the page with textContent,
   new Option(...) or as a DOM element built that way: never as markup. Labels are drawn on the
   canvas by this script (not by vis-network), placed by priority so that no two overlap. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("map-data").textContent);
  var DIM = "#e4e4e4", DIM_EDGE = "#eeeeee", HIGHLIGHT = "#D55E00", GREY = "#9a9a9a";
  var FONT = "DejaVu Sans, Arial, sans-serif";
  var FONT_MIN = 11, FONT_MAX = 19;          // largest label at most 2.5 x the smallest
  var MARGIN = 28;                            // free pixels around the drawing
  var state = { view: 0, color: 0, sector: "", community: "", relation: "", minWeight: 0,
                focus: null, depth: 1, matches: null, physics: false,
                network: null, nodes: null, edges: null, drawn: false, placed: null, placedKey: "" };
  window.netmap = state;

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function fmtCount(n) { return Number(n).toLocaleString("en"); }

  $("title").textContent = DATA.title;
  document.title = DATA.title;

  // ------------------------------------------------------------------ colours
  function view() { return DATA.views[state.view]; }
  function coloring() { return DATA.colorings[state.color]; }
  function category(n) {
    var v = view();
    if (v.kind === "sectors") { return DATA.sectors[n.g]; }
    var c = coloring();
    return c.categories[n.c[state.color]];
  }
  function baseColor(n) { return category(n).color; }
  function baseShape(n) { var c = category(n); return c.shape || "dot"; }

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
  fillSelect(colorSelect, DATA.colorings.map(function (c, i) { return [c.label, String(i)]; }), false);
  DATA.colorings.forEach(function (c, i) { if (c.key === DATA.colorBy) { state.color = i; } });
  colorSelect.value = String(state.color);
  fillSelect($("filter-sector"), DATA.sectors.map(function (s, i) {
    return [s.label + " (" + fmtCount(s.count) + ")", String(i)];
  }), true);
  if (DATA.communities.length) {
    fillSelect($("filter-community"), DATA.communities.filter(function (c) { return c.count > 1; })
      .map(function (c) { return [c.label + " (" + fmtCount(c.count) + ")", c.label]; }), true);
  } else {
    $("community-box").style.display = "none";
  }
  if (DATA.relations.length > 1) {
    fillSelect($("filter-relation"), DATA.relations.map(function (r, i) { return [r, String(i)]; }), true);
  } else {
    $("relation-box").style.display = "none";
  }

  // ------------------------------------------------------------------ visibility
  function neighbourhood(v) {
    if (state.focus === null) { return null; }
    var adj = adjacency(v), seen = {}, frontier = [state.focus];
    seen[state.focus] = 0;
    for (var d = 1; d <= state.depth; d++) {
      var next = [];
      frontier.forEach(function (id) {
        (adj[id] || []).forEach(function (j) {
          if (seen[j[0]] === undefined && edgeOn(v.edges[j[1]])) { seen[j[0]] = d; next.push(j[0]); }
        });
      });
      frontier = next;
    }
    return seen;
  }
  function adjacency(v) {
    if (!v.adj) {
      v.adj = {};
      v.edges.forEach(function (e, i) {
        (v.adj[e.from] = v.adj[e.from] || []).push([e.to, i]);
        if (e.to !== e.from) { (v.adj[e.to] = v.adj[e.to] || []).push([e.from, i]); }
      });
    }
    return v.adj;
  }
  /* A tie is shown when it carries the chosen relation and its strength (in that relation, when one
     is chosen) reaches the slider's threshold. */
  function edgeOn(e) {
    var w = e.w;
    if (state.relation !== "" && e.r) {
      var at = e.r.indexOf(Number(state.relation));
      if (at < 0) { return false; }
      w = e.rw ? e.rw[at] : w;
    }
    return w >= state.minWeight;
  }
  function nodeHidden(n) {
    var sector = state.sector === "" ? null : Number(state.sector);
    var community = state.community === "" ? null : Number(state.community);
    return (sector !== null && n.g !== sector) ||
           (community !== null && view().kind === "actors" && n.k !== community);
  }

  // ------------------------------------------------------------------ fitting the drawing
  function canvasSize() {
    var box = $("map");
    return { w: box.clientWidth, h: box.clientHeight };
  }
  /* Positions from Python (layout units) scaled to the canvas with a margin, node radii scaled to
     the space per node, then circles pushed apart; returns canvas-coordinate items. */
  function fitted(v) {
    var size = canvasSize(), n = v.nodes.length;
    if (size.w < 100 || size.h < 100) { size = { w: 1000, h: 700 }; }      // hidden frame: refit on resize
    state.fitSize = size;
    var W = size.w, H = size.h;
    var xs = v.nodes.map(function (d) { return d.x; }), ys = v.nodes.map(function (d) { return d.y; });
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var area = 0;
    v.nodes.forEach(function (d) { area += Math.PI * d.size * d.size; });
    var shrink = Math.min(1, Math.sqrt(0.07 * W * H / Math.max(area, 1)));
    var radii = v.nodes.map(function (d) { return Math.max(2.5, d.size * shrink); });
    var rmax = Math.max.apply(null, radii.concat([4]));
    // sector view: room for self-loops (about 40 px) and, when directed, for arcs bulging outwards
    var loops = v.kind === "sectors" ? 36 : 0, bulge = v.kind === "sectors" && v.directed ? 0.07 : 0;
    var mx = MARGIN + rmax + loops + bulge * H, my = MARGIN + rmax + loops + bulge * W;
    var sx = x1 > x0 ? (W - 2 * mx) / (x1 - x0) : 1, sy = y1 > y0 ? (H - 2 * my) / (y1 - y0) : 1;
    var s = Math.min(sx, sy);                 // stretch one axis at most 2x to fill the canvas
    sx = Math.min(sx, 2 * s); sy = Math.min(sy, 2 * s);
    if (x1 - x0 < 1e-9) { sx = 0; }
    if (y1 - y0 < 1e-9) { sy = 0; }
    var cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    var pts = v.nodes.map(function (d) { return [(d.x - cx) * sx, (d.y - cy) * sy]; });
    if (v.kind === "actors" && n <= 3000) { separate(pts, radii, W / 2 - mx, H / 2 - my); }
    return { pts: pts, radii: radii };
  }
  /* Overlap removal: push overlapping circles apart (grid of cells), keeping them inside the box. */
  function separate(pts, radii, hx, hy) {
    var n = pts.length, gap = 1.5, rmax = Math.max.apply(null, radii.concat([1]));
    var cell = 2 * rmax + gap;
    var rounds = Math.max(12, Math.min(60, Math.round(40000 / Math.max(n, 1))));
    for (var it = 0; it < rounds; it++) {
      var grid = {}, moved = 0;
      for (var i = 0; i < n; i++) {
        var key = Math.floor(pts[i][0] / cell) + "," + Math.floor(pts[i][1] / cell);
        (grid[key] = grid[key] || []).push(i);
      }
      for (i = 0; i < n; i++) {
        var gx = Math.floor(pts[i][0] / cell), gy = Math.floor(pts[i][1] / cell);
        for (var ox = -1; ox <= 1; ox++) {
          for (var oy = -1; oy <= 1; oy++) {
            var bucket = grid[(gx + ox) + "," + (gy + oy)];
            if (!bucket) { continue; }
            for (var b = 0; b < bucket.length; b++) {
              var j = bucket[b];
              if (j <= i) { continue; }
              var dx = pts[j][0] - pts[i][0], dy = pts[j][1] - pts[i][1];
              var dist = Math.sqrt(dx * dx + dy * dy), need = radii[i] + radii[j] + gap;
              if (dist >= need) { continue; }
              if (dist < 1e-6) { dx = Math.cos(i + j); dy = Math.sin(i + j); dist = 1; }
              var push = (need - dist) / 2 / dist;
              pts[i][0] -= dx * push; pts[i][1] -= dy * push;
              pts[j][0] += dx * push; pts[j][1] += dy * push;
              moved++;
            }
          }
        }
      }
      for (i = 0; i < n; i++) {
        pts[i][0] = Math.max(-hx, Math.min(hx, pts[i][0]));
        pts[i][1] = Math.max(-hy, Math.min(hy, pts[i][1]));
      }
      if (!moved) { break; }
    }
  }

  // ------------------------------------------------------------------ labels
  function fontSize(p, pmax) {
    if (!(pmax > 0) || !(p > 0)) { return FONT_MIN; }
    return Math.round(FONT_MIN + (FONT_MAX - FONT_MIN) * Math.sqrt(Math.min(1, p / pmax)));
  }
  function overlaps(a, b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }
  function circleHitsBox(c, b) {
    var nx = Math.max(b[0], Math.min(c[0], b[2])), ny = Math.max(b[1], Math.min(c[1], b[3]));
    var dx = c[0] - nx, dy = c[1] - ny;
    return dx * dx + dy * dy < c[2] * c[2];
  }
  function screenNodes() {
    var v = view(), net = state.network, scale = net.getScale(), out = [];
    var pos = net.getPositions();
    v.nodes.forEach(function (n) {
      var item = state.states.nodes[n.id];
      if (!item || item.hidden) { return; }
      var p = net.canvasToDOM(pos[n.id]);
      out.push({ n: n, x: p.x, y: p.y, r: state.radii[n.id] * scale, dim: !!item.dim });
    });
    return out;
  }
  function edgeLabelPoint(e, i, t) {
    try {
      var p = state.network.body.edges[i].edgeType.getPoint(t);
      return state.network.canvasToDOM(p);
    } catch (err) {
      var pos = state.network.getPositions([e.from, e.to]);
      return state.network.canvasToDOM({ x: pos[e.from].x + t * (pos[e.to].x - pos[e.from].x),
                                         y: pos[e.from].y + t * (pos[e.to].y - pos[e.from].y) });
    }
  }
  /* Greedy placement: labels in priority order; a label is drawn in the first of four places
     (below, above, right, left of its node) that lies inside the canvas and covers no label and
     no other node; otherwise it is hidden until the user zooms in. */
  function placeLabels(ctx) {
    var v = view(), size = canvasSize(), W = size.w, H = size.h;
    var nodes = screenNodes(), placed = [], cell = 48, grid = {};
    var pmax = 0;
    v.nodes.forEach(function (n) { if (n.p > pmax) { pmax = n.p; } });
    function cells(b, add, item) {
      var hits = [];
      for (var gx = Math.floor(b[0] / cell); gx <= Math.floor(b[2] / cell); gx++) {
        for (var gy = Math.floor(b[1] / cell); gy <= Math.floor(b[3] / cell); gy++) {
          var key = gx + "," + gy;
          if (add) { (grid[key] = grid[key] || []).push(item); } else if (grid[key]) { hits = hits.concat(grid[key]); }
        }
      }
      return hits;
    }
    nodes.forEach(function (s) {
      if (s.dim || s.x + s.r < 0 || s.x - s.r > W || s.y + s.r < 0 || s.y - s.r > H) { return; }
      cells([s.x - s.r, s.y - s.r, s.x + s.r, s.y + s.r], true, { c: [s.x, s.y, s.r], id: s.n.id, p: s.n.p });
    });
    /* strict: the box covers no other node; otherwise it may cover nodes of lower priority */
    function free(b, own, strict, prio) {
      if (b[0] < 1 || b[1] < 1 || b[2] > W - 1 || b[3] > H - 1) { return false; }
      var hits = cells(b, false);
      for (var h = 0; h < hits.length; h++) {
        var o = hits[h];
        if (o.box && overlaps(o.box, b)) { return false; }
        if (o.c && o.id !== own && (strict || o.p >= prio) && circleHitsBox(o.c, b)) { return false; }
      }
      return true;
    }
    function put(box, text, font, px, py) {
      var item = { box: box, text: text, font: font, x: px, y: py };
      placed.push(item);
      cells(box, true, item);
    }
    if (v.kind === "sectors") {
      v.edges.forEach(function (e, i) {
        var item = state.states.edges[i];
        if (!e.label || !item || item.hidden) { return; }
        var font = "bold 13px " + FONT;
        ctx.font = font;
        var w = ctx.measureText(e.label).width + 6, h = 17;
        var along = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78];
        for (var a = 0; a < along.length; a++) {
          var p = edgeLabelPoint(e, i, along[a]);
          var box = [p.x - w / 2, p.y - h / 2, p.x + w / 2, p.y + h / 2];
          if (free(box, null, false, Infinity)) { put(box, e.label, font, p.x, p.y); return; }
        }
      });
    }
    var focusSet = state.neighbours;
    var order = nodes.filter(function (s) { return !s.dim; });
    order.sort(function (a, b) {
      var fa = focusSet ? (a.n.id === state.focus ? 2 : 1) : 0, fb = focusSet ? (b.n.id === state.focus ? 2 : 1) : 0;
      return (fb - fa) || (b.n.p - a.n.p) || (a.n.id - b.n.id);
    });
    var rank = 0;
    order.forEach(function (s) {
      var text = s.n.label, fs = v.kind === "sectors" ? 16 : fontSize(s.n.p, pmax);
      if (s.n.id === state.focus) { fs = FONT_MAX; }
      var font = (s.n.id === state.focus ? "bold " : "") + fs + "px " + FONT;
      ctx.font = font;
      var w = ctx.measureText(text).width + 4, h = Math.ceil(fs * 1.25), g = 2;
      var d = s.r * 0.7 + g;
      var cands = [[s.x - w / 2, s.y + s.r + g], [s.x - w / 2, s.y - s.r - g - h],
                   [s.x + s.r + g, s.y - h / 2], [s.x - s.r - g - w, s.y - h / 2],
                   [s.x + d, s.y + d], [s.x - d - w, s.y + d], [s.x + d, s.y - d - h], [s.x - d - w, s.y - d - h]];
      var prominent = rank < Math.max(5, order.length / 4) || s.n.id === state.focus;
      rank++;
      for (var pass = 0; pass < (prominent ? 2 : 1); pass++) {
        for (var k = 0; k < cands.length; k++) {
          var box = [cands[k][0], cands[k][1], cands[k][0] + w, cands[k][1] + h];
          if (free(box, s.n.id, pass === 0, s.n.id === state.focus ? Infinity : s.n.p)) {
            put(box, text, font, box[0] + w / 2, box[1] + h / 2);
            return;
          }
        }
      }
    });
    return placed;
  }
  function viewKey() {
    var net = state.network, p = net.getViewPosition(), size = canvasSize();
    return [net.getScale().toFixed(5), p.x.toFixed(2), p.y.toFixed(2), size.w, size.h, state.revision].join(";");
  }
  function currentLabels(ctx) {
    var key = viewKey();
    if (!state.placed || state.placedKey !== key) {
      var c = ctx || document.createElement("canvas").getContext("2d");
      state.placed = placeLabels(c);
      state.placedKey = key;
    }
    return state.placed;
  }
  function drawLabels(ctx) {
    var placed = currentLabels(ctx), ratio = ctx.canvas.width / Math.max(ctx.canvas.clientWidth, 1);
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    placed.forEach(function (l) {
      ctx.font = l.font;
      ctx.lineWidth = 3.5;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(l.text, l.x, l.y);
      ctx.fillStyle = "#1a1a1a";
      ctx.fillText(l.text, l.x, l.y);
    });
    ctx.restore();
  }

  // ------------------------------------------------------------------ legend
  function legendEntry(parent, swatch, text, count) {
    var row = el("div", null, "entry");
    row.appendChild(swatch);
    row.appendChild(el("span", text));
    if (count !== undefined) { row.appendChild(el("span", fmtCount(count), "count")); }
    row.setAttribute("data-color", swatch.getAttribute("data-color") || "");
    parent.appendChild(row);
  }
  function dot(color, shape) {
    var s = el("span", null, "swatch " + (shape || "dot"));
    s.style.backgroundColor = color;
    s.setAttribute("data-color", color);
    return s;
  }
  function line(color, dashed, width) {
    var s = el("span", null, "line" + (dashed ? " dashed" : ""));
    s.style.borderTopColor = color;
    if (width) { s.style.borderTopWidth = width + "px"; }
    return s;
  }
  /* The legend lists only what is drawn: categories of the visible nodes (with their counts) and
     the kinds of the visible ties. */
  function renderLegend() {
    var v = view(), nodesBox = $("legend-nodes"), tiesBox = $("legend-ties");
    clear(nodesBox); clear(tiesBox); clear($("notes"));
    var counts = {}, cats = v.kind === "sectors" ? DATA.sectors : coloring().categories;
    v.nodes.forEach(function (n) {
      if (nodeHidden(n)) { return; }
      var idx = v.kind === "sectors" ? n.g : n.c[state.color];
      counts[idx] = (counts[idx] || 0) + (v.kind === "sectors" ? DATA.sectors[n.g].count : 1);
    });
    nodesBox.appendChild(el("h3", v.kind === "sectors" ? "Sectors" : "Colour: " + coloring().label));
    cats.forEach(function (c, i) {
      if (counts[i]) { legendEntry(nodesBox, dot(c.color, v.kind === "sectors" ? c.shape : (c.shape || "dot")), c.label, counts[i]); }
    });
    tiesBox.appendChild(el("h3", "Ties"));
    var kinds = { same: 0, cross: 0, weak: 0 }, colours = {};
    v.edges.forEach(function (e, i) {
      var item = state.states.edges[i];
      if (!item || item.hidden) { return; }
      kinds[item.weak ? "weak" : item.dashes ? "cross" : "same"]++;
      colours[e.color.color] = true;
    });
    var group = v.kind === "actors" ? coloring().noun : "";
    if (v.kind === "actors") {
      if (kinds.same) { legendEntry(tiesBox, line(GREY, false), "within a " + group); }
      if (kinds.cross) { legendEntry(tiesBox, line(GREY, true), "across " + coloring().plural + " (dashed)"); }
      if (kinds.weak) { legendEntry(tiesBox, line(HIGHLIGHT, true), "across a weak sector pair"); }
      tiesBox.appendChild(el("p", "Width and darkness: tie strength (weight)."));
      $("legend-size").textContent = "Node size: " + DATA.sizeBy + ". Labels: largest first; zoom in for more. " +
        "Click an organisation to focus on it (Escape returns).";
    } else {
      if (DATA.mixingGiven) {
        tiesBox.appendChild(el("p", "Colour: observed / expected ties (ratio in the sector mixing table)."));
        DATA.ratioLegend.forEach(function (r) { if (colours[r[1]]) { legendEntry(tiesBox, line(r[1], false, 5), r[0]); } });
        if (colours["#999999"]) { legendEntry(tiesBox, line("#999999", false, 5), "no expected count"); }
        if (kinds.weak) { legendEntry(tiesBox, line(GREY, true, 3), "weak pair (dashed)"); }
      } else {
        tiesBox.appendChild(el("p", "Run the full analysis to colour ties by observed / expected."));
      }
      tiesBox.appendChild(el("p", v.directed ? "Arrows: direction (each direction is its own curved arc). "
        + "Width and label: number of ties." : "Width and label: number of ties between the sectors."));
      $("legend-size").textContent = "Node size: number of organisations.";
    }
    var notes = [];
    if (v.note) { notes.push(v.note); }
    DATA.notes.forEach(function (n) { if (notes.indexOf(n) < 0) { notes.push(n); } });
    notes.forEach(function (n) { $("notes").appendChild(el("p", n)); });
  }

  // ------------------------------------------------------------------ profile (side panel)
  function renderProfile() {
    var box = $("profile"), v = view();
    clear(box);
    if (state.focus === null) { box.style.display = "none"; return; }
    var n = v.nodes[state.focus];
    box.style.display = "";
    box.appendChild(el("h2", n.name || n.label));
    var table = el("table");
    (n.tip || []).forEach(function (kv) {
      var tr = el("tr");
      tr.appendChild(el("th", kv[0]));
      tr.appendChild(el("td", kv[1]));
      table.appendChild(tr);
    });
    box.appendChild(table);
    if (v.kind !== "actors") { return; }
    var bySector = {}, partners = [];
    (adjacency(v)[state.focus] || []).forEach(function (j) {
      var e = v.edges[j[1]];
      if (!edgeOn(e)) { return; }
      var m = v.nodes[j[0]], s = DATA.sectors[m.g].label;
      bySector[s] = (bySector[s] || 0) + 1;
      partners.push([m, e.w]);
    });
    box.appendChild(el("h3", "Partners by sector (" + partners.length + ")"));
    Object.keys(bySector).sort(function (a, b) { return bySector[b] - bySector[a] || (a < b ? -1 : 1); })
      .forEach(function (s) {
        var idx = DATA.sectors.findIndex(function (x) { return x.label === s; });
        legendEntry(box, dot(DATA.sectors[idx].color, DATA.sectors[idx].shape), s, bySector[s]);
      });
    partners.sort(function (a, b) { return b[1] - a[1] || a[0].id - b[0].id; });
    if (partners.length) {
      box.appendChild(el("h3", "Strongest partners"));
      var list = el("ol");
      partners.slice(0, 10).forEach(function (pw) {
        var li = el("li", (pw[0].name || pw[0].label) + " (" + pw[1] + ")");
        li.addEventListener("click", function () { focusOn(pw[0].id); });
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    box.appendChild(el("p", "Escape or a click on empty space returns to the whole map.", "hint"));
  }

  // ------------------------------------------------------------------ drawing
  function nodeItems(v, fit) {
    return v.nodes.map(function (n, i) {
      var item = { id: n.id, name: n.name || n.label, x: fit.pts[i][0], y: fit.pts[i][1], size: fit.radii[i], shape: baseShape(n),
                   color: baseColor(n), borderWidth: 1 };
      item.title = tipElement(n.name || n.label, n.tip);
      return item;
    });
  }
  function edgeItems(v) {
    var names = v.nodes.map(function (n) { return n.name || n.label; });
    var both = {};
    v.edges.forEach(function (e) { both[e.from + ">" + e.to] = true; });
    return v.edges.map(function (e, i) {
      var item = { id: i, from: e.from, to: e.to, width: e.from === e.to ? Math.min(e.width, 8) : e.width,
                   color: e.color, dashes: !!e.dashes };
      if (v.directed) { item.arrows = { to: { enabled: true, scaleFactor: v.kind === "sectors" ? 0.6 : 0.4 } }; }
      if (v.kind === "sectors" && v.directed && e.from !== e.to && both[e.to + ">" + e.from]) {
        item.smooth = { enabled: true, type: "curvedCW", roundness: 0.15 };
      }
      if (v.edgeTips) {
        var rows = e.tip || [["weight", String(e.w)]];
        if (!e.tip && e.rel) { rows = rows.concat([["relations", e.rel]]); }
        var sep = v.directed ? " \u2192 " : " \u2013 ";
        item.title = tipElement(names[e.from] + sep + names[e.to], rows);
      }
      return item;
    });
  }
  function options(v) {
    var big = v.nodes.length > 1000 || v.edges.length > 4000;
    return {
      autoResize: true,
      layout: { improvedLayout: false, randomSeed: 1 },
      physics: { enabled: false, solver: "barnesHut",
                 barnesHut: { gravitationalConstant: -2500, springLength: 110, springConstant: 0.03, avoidOverlap: 0.2 },
                 stabilization: { enabled: false } },
      interaction: { hover: !big, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                     navigationButtons: false, keyboard: false, multiselect: false },
      nodes: { borderWidth: 1, borderWidthSelected: 3, font: { size: 0 }, scaling: { label: { enabled: false } } },
      edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 0.5,
               selfReference: { size: 20, angle: Math.PI / 4, renderBehindTheNode: false } }
    };
  }
  function build() {
    var v = view();
    state.focus = null; state.matches = null; state.drawn = false; state.placed = null;
    state.revision = (state.revision || 0) + 1;
    if (state.network) { state.network.destroy(); state.network = null; }
    var t0 = performance.now();
    var fit = fitted(v);
    var t1 = performance.now();
    state.radii = fit.radii;
    state.states = computeStates(v);
    state.nodes = new vis.DataSet(nodeItems(v, fit).map(function (item, i) { return Object.assign(item, state.states.nodes[i]); }));
    state.edges = new vis.DataSet(edgeItems(v).map(function (item, i) { return Object.assign(item, state.states.edges[i]); }));
    var t2 = performance.now();
    state.network = new vis.Network($("map"), { nodes: state.nodes, edges: state.edges }, options(v));
    state.timings = { fit: t1 - t0, data: t2 - t1, network: performance.now() - t2 };
    state.network.moveTo({ position: { x: 0, y: 0 }, scale: 1, animation: false });
    state.network.on("afterDrawing", drawLabels);
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
    v.nodes.forEach(function (n) { var o = document.createElement("option"); o.value = n.name || n.label; names.appendChild(o); });
    var actors = v.kind === "actors";
    colorSelect.disabled = !actors;
    $("filter-community").disabled = !actors;
    $("depth").disabled = !actors;
    setupSlider(v);
    var t3 = performance.now();
    apply();
    state.timings.apply = performance.now() - t3;
  }
  function setupSlider(v) {
    var ws = {}, rel = state.relation === "" ? null : Number(state.relation);
    v.edges.forEach(function (e) {
      if (rel === null || !e.r) { ws[e.w] = true; return; }
      var at = e.r.indexOf(rel);
      if (at >= 0) { ws[e.rw ? e.rw[at] : e.w] = true; }
    });
    var levels = Object.keys(ws).map(Number).sort(function (a, b) { return a - b; });
    state.levels = levels;
    var slider = $("min-weight");
    if (v.kind !== "actors" || levels.length < 2) { $("weight-box").style.display = "none"; state.minWeight = 0; return; }
    $("weight-box").style.display = "";
    slider.min = "0"; slider.max = String(levels.length - 1); slider.step = "1";
    var at = 0;
    levels.forEach(function (w, i) { if (w <= state.minWeight) { at = i; } });
    slider.value = String(at);
    state.minWeight = levels[at];
    $("min-weight-value").textContent = "\u2265 " + levels[at];
  }

  // ------------------------------------------------------------------ filters, focus, search
  function nodeState(v, n, near) {
    var hidden = nodeHidden(n);
    var dim = !!((near && near[n.id] === undefined) || (state.matches && !state.matches[n.id]));
    return { id: n.id, hidden: hidden, dim: dim, color: dim ? DIM : baseColor(n), shape: baseShape(n),
             borderWidth: n.id === state.focus ? 3 : 1 };
  }
  function edgeState(v, e, i, near, nodeStates) {
    var hidden = nodeStates[e.from].hidden || nodeStates[e.to].hidden || (v.kind === "actors" && !edgeOn(e));
    var on = !near || (near[e.from] !== undefined && near[e.to] !== undefined);
    var dashes = v.kind === "actors" ? v.nodes[e.from].c[state.color] !== v.nodes[e.to].c[state.color] : !!e.dashes;
    var weak = e.wk && (v.kind === "sectors" || coloring().key === "sector");
    var colour = e.wk && !weak ? { color: GREY, opacity: 0.55 } : e.color;
    return { id: i, hidden: !!hidden, dashes: !!(dashes || weak), weak: !!weak,
             color: on ? colour : { color: DIM_EDGE, opacity: 0.5 } };
  }
  function signature(o) {
    return [o.hidden, o.dim, o.color && o.color.color !== undefined ? o.color.color + "/" + o.color.opacity : o.color,
            o.shape, o.borderWidth, o.dashes].join("|");
  }
  /* Node and edge display states for the current filters and focus; with ``push`` only the items
     whose state changed are sent to vis-network (thousands of ties stay fast). */
  function computeStates(v) {
    var near = v.kind === "actors" ? neighbourhood(v) : (state.focus === null ? null : sectorNeighbours(v));
    state.neighbours = near;
    var nodes = v.nodes.map(function (n) { return nodeState(v, n, near); });
    var edges = v.edges.map(function (e, i) { return edgeState(v, e, i, near, nodes); });
    return { nodes: nodes, edges: edges };
  }
  function apply() {
    var v = view(), st = computeStates(v), old = state.states;
    var nodeUpd = st.nodes.filter(function (o, i) { return !old || signature(o) !== signature(old.nodes[i]); });
    var edgeUpd = st.edges.filter(function (o, i) { return !old || signature(o) !== signature(old.edges[i]); });
    state.states = st;
    if (nodeUpd.length) { state.nodes.update(nodeUpd); }
    if (edgeUpd.length) { state.edges.update(edgeUpd); }
    state.revision++;
    renderLegend();
    renderProfile();
    writeHash();
  }
  function sectorNeighbours(v) {
    var seen = {};
    seen[state.focus] = 0;
    v.edges.forEach(function (e) {
      if (e.from === state.focus) { seen[e.to] = 1; }
      if (e.to === state.focus) { seen[e.from] = 1; }
    });
    return seen;
  }
  /* Focus on one organisation: it and its neighbourhood stay, the view zooms to them (at most 2x);
     null returns to the whole drawing. */
  function focusOn(id) {
    var was = state.focus;
    state.focus = id === undefined ? null : id;
    if (state.focus !== null) { state.matches = null; }
    apply();
    if (state.focus !== null) {
      state.network.selectNodes([state.focus]);
      var ids = Object.keys(state.neighbours || {}).map(Number);
      if (ids.length > 1) {
        state.network.fit({ nodes: ids, animation: false, maxZoomLevel: 2, minZoomLevel: 1 });
      }
    } else {
      state.network.unselectAll();
      if (was !== null) { state.network.moveTo({ position: { x: 0, y: 0 }, scale: 1, animation: false }); }
    }
  }
  function search(text) {
    var q = text.trim().toLocaleLowerCase();
    var out = $("search-result");
    if (!q) { state.matches = null; out.textContent = ""; apply(); return; }
    var v = view();
    var hits = v.nodes.filter(function (n) { return String(n.name || n.label).toLocaleLowerCase().indexOf(q) >= 0; });
    var exact = hits.filter(function (n) { return String(n.name || n.label).toLocaleLowerCase() === q; });
    out.textContent = hits.length === 0 ? "no match" : hits.length === 1 ? "1 match" : hits.length + " matches";
    if (hits.length === 1 || exact.length) { state.matches = null; focusOn((exact[0] || hits[0]).id); return; }
    state.matches = {};
    hits.forEach(function (n) { state.matches[n.id] = true; });
    state.focus = null;
    apply();
  }

  // ------------------------------------------------------------------ URL hash (share a view)
  var restoring = false;
  function writeHash() {
    if (restoring) { return; }
    var v = view(), parts = [];
    if (state.view) { parts.push("view=" + state.view); }
    if (v.kind === "actors" && DATA.colorings[state.color].key !== DATA.colorBy) {
      parts.push("color=" + encodeURIComponent(DATA.colorings[state.color].key));
    }
    if (state.focus !== null) { parts.push("focus=" + encodeURIComponent(v.nodes[state.focus].key)); parts.push("depth=" + state.depth); }
    if (state.sector !== "") { parts.push("sector=" + encodeURIComponent(DATA.sectors[Number(state.sector)].label)); }
    if (state.community !== "") { parts.push("community=" + state.community); }
    if (state.relation !== "") { parts.push("relation=" + encodeURIComponent(DATA.relations[Number(state.relation)])); }
    if (state.minWeight > (state.levels && state.levels.length ? state.levels[0] : 0)) { parts.push("minw=" + state.minWeight); }
    var hash = parts.length ? "#" + parts.join("&") : " ";
    try { history.replaceState(null, "", hash === " " ? location.pathname + location.search : hash); } catch (err) { /* ignore */ }
  }
  function readHash() {
    var h = location.hash.replace(/^#/, ""), kv = {};
    if (!h) { return; }
    h.split("&").forEach(function (part) {
      var i = part.indexOf("=");
      if (i > 0) { try { kv[part.slice(0, i)] = decodeURIComponent(part.slice(i + 1)); } catch (err) { /* ignore */ } }
    });
    restoring = true;
    if (kv.view && DATA.views[Number(kv.view)]) { state.view = Number(kv.view); viewSelect.value = kv.view; }
    DATA.colorings.forEach(function (c, i) { if (c.key === kv.color) { state.color = i; colorSelect.value = String(i); } });
    DATA.sectors.forEach(function (s, i) { if (s.label === kv.sector) { state.sector = String(i); $("filter-sector").value = String(i); } });
    if (kv.community !== undefined) { state.community = kv.community; $("filter-community").value = kv.community; }
    DATA.relations.forEach(function (r, i) { if (r === kv.relation) { state.relation = String(i); $("filter-relation").value = String(i); } });
    if (kv.minw) { state.minWeight = Number(kv.minw) || 0; }
    if (kv.depth === "2") { state.depth = 2; $("depth").value = "2"; }
    build();
    var v = view();
    var target = null;
    v.nodes.forEach(function (n) { if (kv.focus !== undefined && n.key === kv.focus) { target = n.id; } });
    restoring = false;
    if (target !== null) { focusOn(target); } else { apply(); }
  }

  // ------------------------------------------------------------------ PNG of the current view
  /* The current view as a PNG: white background, the canvas as drawn (labels included), the title
     above and the colour legend on the right. */
  function downloadPng() {
    var src = document.querySelector("#map canvas"), ratio = src.width / Math.max(src.clientWidth, 1);
    var rows = Array.prototype.map.call(document.querySelectorAll("#legend-nodes .entry"), function (r) {
      return [r.getAttribute("data-color"), r.children[1] ? r.children[1].textContent : "",
              r.children[2] ? r.children[2].textContent : ""];
    });
    var heading = document.querySelector("#legend-nodes h3");
    var side = 240 * ratio, top = 34 * ratio;
    var out = document.createElement("canvas");
    out.width = src.width + side; out.height = Math.max(src.height + top, top + (rows.length + 3) * 20 * ratio);
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(src, 0, top);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = "#1a1a1a";
    ctx.textBaseline = "middle";
    ctx.font = "bold 16px " + FONT;
    ctx.fillText(DATA.title + " \u2014 " + view().title, 10, 18);
    var x = src.width / ratio + 12, y = 34 + 14;
    ctx.font = "bold 13px " + FONT;
    if (heading) { ctx.fillText(heading.textContent, x, y); }
    ctx.font = "13px " + FONT;
    rows.forEach(function (r) {
      y += 20;
      ctx.fillStyle = r[0] || GREY;
      ctx.beginPath(); ctx.arc(x + 7, y, 6, 0, 2 * Math.PI); ctx.fill();
      ctx.fillStyle = "#1a1a1a";
      ctx.fillText(r[1] + (r[2] ? " (" + r[2] + ")" : ""), x + 20, y);
    });
    ctx.fillStyle = "#444444";
    ctx.fillText("Node size: " + (view().kind === "sectors" ? "organisations" : DATA.sizeBy), x, y + 28);
    var a = document.createElement("a");
    a.download = (DATA.title || "map").replace(/[^\w\u0400-\u04FF -]+/g, "_").slice(0, 80) + ".png";
    a.href = out.toDataURL("image/png");
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    state.lastPng = a.href;
    return a.href.length;
  }

  viewSelect.addEventListener("change", function () { state.view = Number(viewSelect.value); build(); });
  colorSelect.addEventListener("change", function () { state.color = Number(colorSelect.value); apply(); });
  $("filter-sector").addEventListener("change", function (ev) { state.sector = ev.target.value; apply(); });
  $("filter-community").addEventListener("change", function (ev) { state.community = ev.target.value; apply(); });
  $("filter-relation").addEventListener("change", function (ev) {
    state.relation = ev.target.value;
    setupSlider(view());
    apply();
  });
  $("depth").addEventListener("change", function (ev) { state.depth = Number(ev.target.value); focusOn(state.focus); });
  $("min-weight").addEventListener("input", function (ev) {
    state.minWeight = state.levels[Number(ev.target.value)];
    $("min-weight-value").textContent = "\u2265 " + state.minWeight;
    apply();
  });
  $("physics").addEventListener("change", function (ev) {
    state.physics = ev.target.checked;
    state.network.setOptions({ physics: { enabled: state.physics } });
  });
  $("png").addEventListener("click", downloadPng);
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      var now = canvasSize(), was = state.fitSize;
      if (!was || now.w < 100 || now.h < 100) { return; }
      if (was.w === 1000 && was.h === 700 && (now.w !== 1000 || now.h !== 700)) { build(); return; }
      if (state.focus === null) {
        state.network.moveTo({ position: { x: 0, y: 0 }, scale: Math.min(now.w / was.w, now.h / was.h), animation: false });
      }
    }, 150);
  });
  $("search").addEventListener("input", function (ev) { search(ev.target.value); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { state.matches = null; $("search").value = ""; $("search-result").textContent = ""; focusOn(null); }
  });

  // ------------------------------------------------------------------ test hooks
  function boxesOf(list) { return list.map(function (b) { return b.map(function (x) { return typeof x === "number" ? Math.round(x * 10) / 10 : x; }); }); }
  window.netanalysisMap = {
    labelBoxes: function () {
      return boxesOf(currentLabels(null).map(function (l) { return [l.box[0], l.box[1], l.box[2], l.box[3], l.text]; }));
    },
    nodeBoxes: function () {
      return boxesOf(screenNodes().map(function (s) { return [s.x - s.r, s.y - s.r, s.x + s.r, s.y + s.r, s.n.name || s.n.label]; }));
    },
    canvas: function () { var s = canvasSize(); return [s.w, s.h]; },
    nodeColors: function () {
      return screenNodes().filter(function (s) { return !s.dim; }).map(function (s) { return state.states.nodes[s.n.id].color; });
    },
    legendColors: function () {
      return Array.prototype.map.call(document.querySelectorAll("#legend-nodes .swatch"), function (s) { return s.getAttribute("data-color"); });
    },
    positions: function () { return state.network.getPositions(); },
    zoom: function (factor) {
      var net = state.network;
      net.moveTo({ scale: net.getScale() * factor, position: net.getViewPosition(), animation: false });
      net.redraw();
    },
    focus: function (key, depth) {
      if (depth) { state.depth = depth; $("depth").value = String(depth); }
      var hit = view().nodes.filter(function (n) { return n.key === key || n.name === key; })[0];
      focusOn(hit ? hit.id : null);
      return !!hit;
    },
    colorBy: function (key) {
      DATA.colorings.forEach(function (c, i) { if (c.key === key) { state.color = i; colorSelect.value = String(i); } });
      apply();
    },
    setView: function (i) { viewSelect.value = String(i); state.view = i; build(); },
    downloadPng: downloadPng
  };
  state.focusOn = focusOn;
  state.search = search;
  state.setView = window.netanalysisMap.setView;
  if (location.hash.length > 1) { readHash(); } else { build(); }
}());
