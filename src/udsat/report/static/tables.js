/* udsat report: the data tables. No dependencies, no network; works from file://.
 *
 * - A table wider than its box scrolls sideways inside it: the box then becomes a focusable,
 *   labelled region (keyboard users scroll it with the arrow keys) and shows a visible hint.
 *   A table that fits gets the class "fits": its box no longer clips, so its header sticks to
 *   the top of the window while the page scrolls.
 * - A table with the class "sortable" gets a button in each column header: Enter, Space or a
 *   click sorts by that column (numbers as numbers, in the page's language: 1.234,5 in Danish,
 *   1,234.5 in English); the header says how the table is sorted (aria-sort). Cells without a
 *   number (the markers) sort last in either direction.
 */
(function () {
  "use strict";
  var lang = (document.documentElement.lang || "da").slice(0, 2);

  /* A cell's number, or null when it holds none (a marker such as ".." or "-"). */
  function parseNumber(text) {
    var t = text.replace(/[\s\u00a0\u202f%]/g, "").replace(/\u2212/g, "-").replace(/^\+/, "");
    t = lang === "da" ? t.replace(/\./g, "").replace(",", ".") : t.replace(/,/g, "");
    if (!/^[-]?\d+(\.\d+)?$/.test(t)) { return null; }
    return parseFloat(t);
  }

  /* A cell's sort key: its data-sort value (a plain number, "" for none) or its text. */
  function cellKey(row, col, numeric) {
    var cell = row.cells[col];
    var text = cell ? cell.textContent.trim() : "";
    var raw = cell ? cell.getAttribute("data-sort") : null;
    if (!numeric) { return { text: raw !== null ? raw : text, num: null }; }
    if (raw !== null) { return { text: text, num: raw === "" ? null : parseFloat(raw) }; }
    return { text: text, num: parseNumber(text) };
  }

  function sortBy(table, th, col, numeric) {
    var body = table.tBodies[0];
    var current = th.getAttribute("aria-sort");
    var dir;
    if (current === "ascending") { dir = "descending"; }
    else if (current === "descending") { dir = "ascending"; }
    else { dir = numeric ? "descending" : "ascending"; }
    var sign = dir === "ascending" ? 1 : -1;
    var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
      var key = cellKey(row, col, numeric);
      return { row: row, i: i, text: key.text, num: key.num };
    });
    rows.sort(function (a, b) {
      if (numeric) {
        if (a.num === null || b.num === null) {
          if (a.num === b.num) { return a.i - b.i; }
          return a.num === null ? 1 : -1;  /* no number: last in either direction */
        }
        if (a.num !== b.num) { return sign * (a.num - b.num); }
        return a.i - b.i;
      }
      var c = a.text.localeCompare(b.text, lang, { numeric: true, sensitivity: "base" });
      return c !== 0 ? sign * c : a.i - b.i;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
    Array.prototype.forEach.call(table.querySelectorAll("th[aria-sort]"), function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", dir);
  }

  function makeSortable(table) {
    var heads = table.tHead ? table.tHead.querySelectorAll("th[data-col]") : [];
    Array.prototype.forEach.call(heads, function (th) {
      var col = parseInt(th.getAttribute("data-col"), 10);
      var numeric = th.classList.contains("num");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, th, col, numeric); });
    });
  }

  function fit(wrap) {
    var table = wrap.querySelector("table");
    if (!table) { return; }
    /* measured in the neutral state: the two states lay the table out differently */
    wrap.classList.remove("overflows", "fits");
    var over = table.getBoundingClientRect().width > wrap.clientWidth + 1;
    wrap.classList.toggle("overflows", over);
    wrap.classList.toggle("fits", !over);
    var hint = wrap.previousElementSibling;
    if (hint && hint.classList.contains("table-hint")) { hint.hidden = !over; }
    wrap.style.setProperty("--wrap-w", wrap.clientWidth + "px");
    if (over) {
      var caption = table.caption ? table.caption.textContent.trim() : "";
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      if (caption) { wrap.setAttribute("aria-label", caption); }
    } else {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
    }
  }

  function fitAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), fit);
  }

  var sortable = document.querySelectorAll("table.sortable");
  Array.prototype.forEach.call(sortable, makeSortable);
  if (sortable.length) {  /* the help on sorting shows only where sorting works */
    Array.prototype.forEach.call(document.querySelectorAll(".sort-help"), function (p) {
      p.hidden = false;
    });
  }
  fitAll();
  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) { window.cancelAnimationFrame(pending); }
    pending = window.requestAnimationFrame(fitAll);
  });
  window.addEventListener("load", fitAll);
})();
