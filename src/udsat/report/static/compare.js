/* Two area profiles side by side, built in the browser from assets/profile-data.js
   (window.UDSAT_PROFILES: per area id its name, link, facts and criteria rows, formatted as on
   the profiles). compare.html?a=ID&b=ID: works from file:// (no request is made). */
(function () {
  "use strict";
  var data = window.UDSAT_PROFILES || {};
  var out = document.getElementById("compare-out");
  var form = document.getElementById("compare-form");
  if (!out || !form) { return; }
  var params = new URLSearchParams(window.location.search);
  var selA = document.getElementById("compare-a");
  var selB = document.getElementById("compare-b");
  if (params.get("a") && data[params.get("a")]) { selA.value = params.get("a"); }
  if (params.get("b") && data[params.get("b")]) { selB.value = params.get("b"); }
  function cell(tag, text, label, cls) {
    var c = document.createElement(tag);
    c.textContent = text;
    if (label) { c.setAttribute("data-label", label); }
    if (tag === "th") { c.scope = label ? "row" : "col"; }
    if (cls) { c.className = cls; }
    return c;
  }
  function link(area) {
    var a = document.createElement("a");
    a.href = area.href;
    a.textContent = area.name;
    return a;
  }
  function table(caption, head, rows) {
    var t = document.createElement("table");
    t.className = "ptable";
    var cap = document.createElement("caption");
    cap.textContent = caption;
    t.appendChild(cap);
    var thead = document.createElement("thead");
    var tr = document.createElement("tr");
    head.forEach(function (h) {
      var th = document.createElement("th");
      th.scope = "col";
      if (typeof h === "string") { th.textContent = h; } else { th.appendChild(h); }
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    t.appendChild(thead);
    var tbody = document.createElement("tbody");
    rows.forEach(function (r) {
      var row = document.createElement("tr");
      row.appendChild(cell("th", r[0], head[0] && typeof head[0] === "string" ? head[0] : ""));
      for (var i = 1; i < r.length; i++) {
        var label = typeof head[i] === "string" ? head[i] : head[i].textContent;
        row.appendChild(cell("td", r[i], label, "num"));
      }
      tbody.appendChild(row);
    });
    t.appendChild(tbody);
    return t;
  }
  function render() {
    var a = data[selA.value], b = data[selB.value];
    out.innerHTML = "";
    if (!a || !b) { return; }
    var h2 = document.createElement("h2");
    h2.textContent = a.name + " / " + b.name;
    out.appendChild(h2);
    var facts = a.facts.map(function (f, i) {
      var other = b.facts[i] && b.facts[i][0] === f[0] ? b.facts[i][1] : "..";
      return [f[0], f[1], other];
    });
    var figure = out.getAttribute("data-figure");
    out.appendChild(table(h2.textContent, [figure, link(a), link(b)], facts));
    var byName = {};
    b.criteria.forEach(function (r) { byName[r[0]] = r; });
    var rows = a.criteria.map(function (r) {
      var o = byName[r[0]];
      return [r[0], r[1] + " (" + r[2] + ")", o ? o[1] + " (" + o[2] + ")" : "..", r[3]];
    });
    if (rows.length && a.city_label) {
      out.appendChild(table(a.criteria_title, [out.getAttribute("data-criterion"), link(a), link(b), a.city_label], rows));
    }
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var url = "?a=" + encodeURIComponent(selA.value) + "&b=" + encodeURIComponent(selB.value);
    if (window.history && window.history.replaceState) {
      try { window.history.replaceState(null, "", url); } catch (err) { /* file:// in some browsers */ }
    }
    render();
  });
  render();
})();
