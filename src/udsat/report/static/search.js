/* Search by area or housing-area name, offline (works from file://): the names and links are
   in assets/search-index.js (window.UDSAT_SEARCH: n = name, k = kind, h = link from the site's
   root). Case, accents and the Danish letters do not matter: "mjolnerparken" finds
   Mjølnerparken. Keyboard: type, Arrow Down into the results, Arrow Up/Down between them,
   Escape back to the field. */
(function () {
  "use strict";
  var MAX = 12;
  function fold(text) {
    return String(text).toLowerCase()
      .replace(/æ/g, "ae").replace(/ø/g, "o").replace(/å/g, "a")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, " ").trim();
  }
  function setup(form) {
    var index = window.UDSAT_SEARCH || [];
    var input = form.querySelector("input");
    var list = form.querySelector("ul");
    var status = form.querySelector("[aria-live]");
    var root = form.getAttribute("data-root") || "";
    var folded = index.map(function (item) { return fold(item.n); });
    form.hidden = false;
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var first = list.querySelector("a");
      if (first) { window.location.href = first.href; }
    });
    function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }
    function close() { list.hidden = true; list.innerHTML = ""; }
    function render() {
      var q = fold(input.value);
      list.innerHTML = "";
      if (!q) { close(); status.textContent = ""; return; }
      var hits = [];
      folded.forEach(function (name, i) {
        var at = name.indexOf(q);
        if (at < 0) { return; }
        var word = at === 0 || name.charAt(at - 1) === " ";
        hits.push({ i: i, rank: at === 0 ? 0 : word ? 1 : 2 });
      });
      hits.sort(function (a, b) { return a.rank - b.rank || folded[a.i].localeCompare(folded[b.i]); });
      if (!hits.length) {
        var li = document.createElement("li");
        li.className = "none";
        li.textContent = form.getAttribute("data-none");
        list.appendChild(li);
      }
      hits.slice(0, MAX).forEach(function (hit) {
        var item = index[hit.i];
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = root + item.h;
        a.textContent = item.n;
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = " (" + item.k + ")";
        a.appendChild(kind);
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = false;
      status.textContent = hits.length + " " + form.getAttribute("data-count");
    }
    input.addEventListener("input", render);
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        var all = links();
        if (all.length) { e.preventDefault(); all[0].focus(); }
      } else if (e.key === "Escape") {
        input.value = ""; close(); status.textContent = "";
      }
    });
    list.addEventListener("keydown", function (e) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && at < all.length - 1) { e.preventDefault(); all[at + 1].focus(); }
      else if (e.key === "ArrowUp") { e.preventDefault(); (at > 0 ? all[at - 1] : input).focus(); }
      else if (e.key === "Escape") { e.preventDefault(); close(); input.focus(); }
    });
    document.addEventListener("click", function (e) {
      if (!form.contains(e.target)) { close(); }
    });
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.site-search"), setup);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
  window.udsatFold = fold;
})();
