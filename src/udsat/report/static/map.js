// Hover figures, zoom and pan for the inline SVG maps. Data come from a JSON block and are
// written with textContent only, so a name holding markup is shown as text.
(function () {
  "use strict";
  function setup(figure) {
    var svg = figure.querySelector("svg");
    var tip = figure.querySelector(".map-tip");
    var block = figure.querySelector("script.map-data");
    var data = block ? JSON.parse(block.textContent) : {};
    var original = svg.getAttribute("viewBox");
    var box = svg.viewBox.baseVal;
    var full = { x: box.x, y: box.y, w: box.width, h: box.height };
    var view = { x: full.x, y: full.y, w: full.w, h: full.h };
    function apply() { svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" ")); }
    function zoom(factor, cx, cy) {
      var w = Math.min(full.w, Math.max(full.w / 20, view.w * factor));
      var h = w * full.h / full.w;
      if (cx === undefined) { cx = view.x + view.w / 2; cy = view.y + view.h / 2; }
      view.x = cx - (cx - view.x) * w / view.w;
      view.y = cy - (cy - view.y) * h / view.h;
      view.w = w; view.h = h; apply();
    }
    function toSvg(evt) {
      var r = svg.getBoundingClientRect();
      return { x: view.x + (evt.clientX - r.left) / r.width * view.w,
               y: view.y + (evt.clientY - r.top) / r.height * view.h };
    }
    function show(el, x, y) {
      var d = data[el.getAttribute("data-key")];
      if (!d || !tip) { return; }
      tip.textContent = "";
      var head = document.createElement("strong");
      head.textContent = d.name;
      tip.appendChild(head);
      d.figures.forEach(function (f) {
        var line = document.createElement("div");
        line.textContent = f[0] + ": " + f[1];
        tip.appendChild(line);
      });
      var fr = figure.getBoundingClientRect();
      tip.style.left = Math.max(0, x - fr.left + 12) + "px";
      tip.style.top = Math.max(0, y - fr.top + 12) + "px";
      tip.hidden = false;
    }
    function hide() { if (tip) { tip.hidden = true; } }
    svg.querySelectorAll("[data-key]").forEach(function (el) {
      el.addEventListener("mousemove", function (e) { show(el, e.clientX, e.clientY); });
      el.addEventListener("mouseleave", hide);
      el.addEventListener("focus", function () {
        var r = el.getBoundingClientRect();
        show(el, r.left + r.width / 2, r.top + r.height / 2);
      });
      el.addEventListener("blur", hide);
    });
    figure.querySelectorAll("button[data-zoom]").forEach(function (b) {
      b.addEventListener("click", function () {
        var z = b.getAttribute("data-zoom");
        if (z === "reset") {
          view = { x: full.x, y: full.y, w: full.w, h: full.h };
          svg.setAttribute("viewBox", original);
        }
        else { zoom(parseFloat(z)); }
      });
    });
    svg.addEventListener("wheel", function (e) {
      e.preventDefault();
      var p = toSvg(e);
      zoom(e.deltaY < 0 ? 0.8 : 1.25, p.x, p.y);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (e) {
      if (e.target.closest("a")) { return; }
      drag = { x: e.clientX, y: e.clientY };
    });
    window.addEventListener("pointerup", function () { drag = null; });
    svg.addEventListener("pointermove", function (e) {
      if (!drag) { return; }
      var r = svg.getBoundingClientRect();
      view.x -= (e.clientX - drag.x) / r.width * view.w;
      view.y -= (e.clientY - drag.y) / r.height * view.h;
      drag = { x: e.clientX, y: e.clientY };
      apply();
    });
    svg.addEventListener("keydown", function (e) {
      if (e.key === "+" || e.key === "=") { zoom(0.8); }
      if (e.key === "-") { zoom(1.25); }
    });
  }
  document.querySelectorAll("figure.map").forEach(setup);
})();
