// The inline SVG maps: tooltips (hover, keyboard focus, a first tap), legend toggles and zoom.
// Data come from JSON blocks and are written with textContent only, so a name holding markup
// is shown as text. A plain wheel or a one-finger swipe scrolls the page; Ctrl + wheel, pinch
// and the buttons zoom. On touch the first tap on a place shows its figures, a second tap on
// the same place follows its link. Esc closes the figures.
(function () {
  "use strict";
  var shared = null;  // the page's cells (criteria.html: where each unit lies)
  function cellsOfPage() {
    if (shared === null) {
      var block = document.getElementById("map-cells");
      shared = block ? JSON.parse(block.textContent) : {};
    }
    return shared;
  }
  function setup(figure) {
    var box = figure.querySelector(".map-box");
    var svg = box.querySelector("svg");
    var tip = box.querySelector(".map-tip");
    var cursor = svg.querySelector(".cursor");
    var block = figure.querySelector("script.map-data");
    var data = block ? JSON.parse(block.textContent) : {};
    var shapes = data.shapes || {};
    var cells = data.cells || null;
    var where = cells ? cellsOfPage() : null;
    var off = {};
    var original = svg.getAttribute("viewBox");
    var vb = svg.viewBox.baseVal;
    var full = { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
    var view = { x: full.x, y: full.y, w: full.w, h: full.h };
    var shownKey = null, armed = null, lastPointer = "mouse", cell = -1;

    // Labels, halos and patterns keep their size on the screen whatever the zoom.
    function rescale() {
      var width = svg.getBoundingClientRect().width;
      if (!width) { return; }
      var upp = view.w / width;  // SVG units per CSS pixel
      var labels = svg.querySelector(".district-labels");
      if (labels) {
        labels.style.fontSize = (upp * (width < 480 ? 10.5 : 13)).toFixed(2) + "px";
        labels.style.strokeWidth = (upp * 3.5).toFixed(2) + "px";
      }
      svg.querySelectorAll("defs pattern").forEach(function (p) {
        p.setAttribute("patternTransform", "scale(" + (upp * 7 / 8).toFixed(3) + ")");
      });
    }
    function apply() {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
      rescale();
    }
    function zoom(factor, cx, cy) {
      var w = Math.min(full.w, Math.max(full.w / 20, view.w * factor));
      var h = w * full.h / full.w;
      if (cx === undefined) { cx = view.x + view.w / 2; cy = view.y + view.h / 2; }
      view.x = cx - (cx - view.x) * w / view.w;
      view.y = cy - (cy - view.y) * h / view.h;
      view.w = w; view.h = h; apply();
    }
    function toSvg(x, y) {
      var r = svg.getBoundingClientRect();
      return { x: view.x + (x - r.left) / r.width * view.w,
               y: view.y + (y - r.top) / r.height * view.h };
    }

    // --- the tooltip
    function place(x, y) {
      var b = box.getBoundingClientRect();
      var w = tip.offsetWidth, h = tip.offsetHeight;
      var left = x - b.left + 14, top = y - b.top + 14;
      if (left + w > b.width - 4) { left = x - b.left - w - 14; }
      if (top + h > b.height - 4) { top = y - b.top - h - 14; }
      tip.style.left = Math.max(4, Math.min(left, b.width - w - 4)) + "px";
      tip.style.top = Math.max(4, Math.min(top, b.height - h - 4)) + "px";
    }
    function show(key, content, x, y) {
      if (!content) { hide(); return; }
      if (key !== shownKey) {
        tip.textContent = "";
        var head = document.createElement("strong");
        head.textContent = content.name;
        tip.appendChild(head);
        content.figures.forEach(function (f) {
          var line = document.createElement("div");
          line.textContent = f[0] + ": " + f[1];
          tip.appendChild(line);
        });
        shownKey = key;
      }
      tip.hidden = false;
      place(x, y);
    }
    function hide() {
      tip.hidden = true; shownKey = null; armed = null;
      if (cursor) { cursor.setAttribute("hidden", ""); }
    }

    // --- cells of a many-cells choropleth: found by their boxes, exact for grid cells
    function cellAt(p) {
      var b = where.box, best = -1, area = Infinity;
      for (var i = 0, n = b.length / 4; i < n; i++) {
        var x = b[4 * i], y = b[4 * i + 1], w = b[4 * i + 2], h = b[4 * i + 3];
        if (p.x >= x && p.x < x + w && p.y >= y && p.y < y + h && w * h < area &&
            !off[layerOf(i)]) { best = i; area = w * h; }
      }
      return best;
    }
    function layerOf(i) { return cells.k[i] < 0 ? "na" : "k" + cells.k[i]; }
    function cellContent(i) {
      var d = where.district[i], a = where.area[i];
      var figures = [[cells.label, cells.texts[cells.v[i]]]];
      if (a >= 0) { figures.push([where.area_kind, where.areas[a]]); }
      return { name: d >= 0 ? where.districts[d] : where.unit, figures: figures };
    }
    function markCell(i) {
      var b = where.box;
      cursor.setAttribute("x", b[4 * i]); cursor.setAttribute("y", b[4 * i + 1]);
      cursor.setAttribute("width", b[4 * i + 2]); cursor.setAttribute("height", b[4 * i + 3]);
      cursor.setAttribute("data-cell", i);
      cursor.removeAttribute("hidden");
    }
    function centre(i) {
      var b = where.box;
      return { x: b[4 * i] + b[4 * i + 2] / 2, y: b[4 * i + 1] + b[4 * i + 3] / 2 };
    }
    function clientOf(p) {
      var r = svg.getBoundingClientRect();
      return { x: r.left + (p.x - view.x) / view.w * r.width,
               y: r.top + (p.y - view.y) / view.h * r.height };
    }
    function showCell(i, x, y) {
      cell = i; markCell(i);
      show("cell:" + i, cellContent(i), x, y);
    }

    // What lies under a pointer: the cell (with the area it is in), else the shape.
    function showAt(target, x, y) {
      var el = target.closest ? target.closest("[data-key]") : null;
      if (el && !svg.contains(el)) { el = null; }
      if (cells) {
        var i = cellAt(toSvg(x, y));
        if (i >= 0) { showCell(i, x, y); return "cell:" + i; }
      }
      if (!el) { hide(); return null; }
      var key = el.getAttribute("data-key");
      show(key, shapes[key], x, y);
      return key;
    }
    svg.addEventListener("pointermove", function (e) {
      if (e.pointerType === "mouse" || e.pointerType === "pen") {
        if (!drag) { showAt(e.target, e.clientX, e.clientY); }
      }
    });
    svg.addEventListener("pointerleave", function (e) {
      if (e.pointerType === "mouse" && !svg.contains(document.activeElement)) { hide(); }
    });
    svg.addEventListener("pointerdown", function (e) { lastPointer = e.pointerType; }, true);
    document.addEventListener("keydown", function () { lastPointer = "keyboard"; }, true);
    // A tap: the first on a place shows its figures, a second on the same place opens it.
    svg.addEventListener("click", function (e) {
      if (lastPointer !== "touch") { return; }
      var link = e.target.closest ? e.target.closest("a") : null;
      var before = armed;
      var key = showAt(e.target, e.clientX, e.clientY);
      var now = link ? link.getAttribute("data-key") : key;
      if (link && before === now) { return; }  // the second tap: follow the link
      e.preventDefault();
      armed = now;
    });
    document.addEventListener("click", function (e) {
      if (!figure.parentNode.contains(e.target)) { hide(); }
    });

    // --- keyboard: a focused place shows its figures; arrows move between cells
    svg.addEventListener("focusin", function (e) {
      var el = e.target.closest("[data-key]");
      if (!el) { return; }
      var r = el.getBoundingClientRect();
      var key = el.getAttribute("data-key");
      if (cursor) { cursor.setAttribute("hidden", ""); }
      cell = -1;
      show(key, shapes[key], r.left + r.width / 2, r.top + r.height / 2);
    });
    svg.addEventListener("focusout", function (e) {
      if (!svg.contains(e.relatedTarget)) { hide(); }
    });
    function step(dx, dy, from) {
      var o = centre(from), best = -1, dist = Infinity, n = where.box.length / 4;
      for (var i = 0; i < n; i++) {
        if (i === from || off[layerOf(i)]) { continue; }
        var c = centre(i), vx = c.x - o.x, vy = c.y - o.y;
        var along = vx * dx + vy * dy, across = Math.abs(vx * dy - vy * dx);
        if (along <= 0 || across > along) { continue; }
        var d = along + 2 * across;
        if (d < dist) { dist = d; best = i; }
      }
      return best;
    }
    var ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    svg.addEventListener("keydown", function (e) {
      if (e.key === "+" || e.key === "=") { zoom(0.8); }
      if (e.key === "-") { zoom(1.25); }
      var dir = ARROWS[e.key];
      if (!dir || !cells || !e.target.classList.contains("unit")) { return; }
      e.preventDefault();
      var next;
      if (cell < 0) {  // start at the cell nearest the middle of the focused class
        var bb = e.target.getBBox(), mid = { x: bb.x + bb.width / 2, y: bb.y + bb.height / 2 };
        var key = e.target.getAttribute("data-layer"), dist = Infinity;
        for (var i = 0, n = where.box.length / 4; i < n; i++) {
          if (layerOf(i) !== key) { continue; }
          var c = centre(i), d = Math.abs(c.x - mid.x) + Math.abs(c.y - mid.y);
          if (d < dist) { dist = d; next = i; }
        }
      } else {
        next = step(dir[0], dir[1], cell);
      }
      if (next === undefined || next < 0) { return; }
      var p = clientOf(centre(next));
      showCell(next, p.x, p.y);
    });

    // --- legend: each entry shows or hides its layer
    var legend = figure.parentNode.querySelector(".map-legend");
    (legend ? legend.querySelectorAll(".map-key button[data-layer]") : []).forEach(function (b) {
      b.addEventListener("click", function () {
        var layer = b.getAttribute("data-layer");
        var visible = b.getAttribute("aria-pressed") !== "true";
        b.setAttribute("aria-pressed", visible ? "true" : "false");
        off[layer] = !visible;
        svg.querySelectorAll("[data-layer]").forEach(function (el) {
          if (el.getAttribute("data-layer") === layer) { el.classList.toggle("off", !visible); }
        });
        hide();
      });
    });

    // --- zoom: buttons, Ctrl + wheel (and a touchpad's pinch), two fingers; drag with a mouse
    figure.querySelectorAll("button[data-zoom]").forEach(function (b) {
      b.addEventListener("click", function () {
        var z = b.getAttribute("data-zoom");
        hide();
        if (z === "reset") {
          view = { x: full.x, y: full.y, w: full.w, h: full.h };
          svg.setAttribute("viewBox", original);
          rescale();
        }
        else { zoom(parseFloat(z)); }
      });
    });
    svg.addEventListener("wheel", function (e) {
      if (!e.ctrlKey) { return; }  // a plain wheel scrolls the page
      e.preventDefault();
      var p = toSvg(e.clientX, e.clientY);
      zoom(e.deltaY < 0 ? 0.8 : 1.25, p.x, p.y);
    }, { passive: false });
    var touches = {}, pinch = null, drag = null;
    function pair() {
      var ids = Object.keys(touches);
      if (ids.length !== 2) { return null; }
      var a = touches[ids[0]], b = touches[ids[1]];
      return { d: Math.hypot(a.x - b.x, a.y - b.y), x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    }
    svg.addEventListener("pointerdown", function (e) {
      if (e.pointerType === "touch") {
        touches[e.pointerId] = { x: e.clientX, y: e.clientY };
        pinch = pair();
      } else if (e.pointerType === "mouse" && e.button === 0 && !e.target.closest("a") &&
                 view.w < full.w) {
        drag = { x: e.clientX, y: e.clientY, moved: false };
      }
    });
    function release(e) {
      delete touches[e.pointerId];
      pinch = pair();
      drag = null;
    }
    window.addEventListener("pointerup", release);
    window.addEventListener("pointercancel", release);
    svg.addEventListener("pointermove", function (e) {
      var r = svg.getBoundingClientRect();
      if (e.pointerType === "touch" && touches[e.pointerId]) {
        touches[e.pointerId] = { x: e.clientX, y: e.clientY };
        var now = pair();
        if (pinch && now && now.d > 0) {
          var p = toSvg(now.x, now.y);
          view.x -= (now.x - pinch.x) / r.width * view.w;
          view.y -= (now.y - pinch.y) / r.height * view.h;
          zoom(pinch.d / now.d, p.x, p.y);
          pinch = now;
          e.preventDefault();
        }
      } else if (drag) {
        view.x -= (e.clientX - drag.x) / r.width * view.w;
        view.y -= (e.clientY - drag.y) / r.height * view.h;
        drag = { x: e.clientX, y: e.clientY, moved: true };
        apply();
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && !tip.hidden) { hide(); }
    });
    window.addEventListener("resize", rescale);
    rescale();
  }
  document.querySelectorAll("figure.map").forEach(setup);
})();
