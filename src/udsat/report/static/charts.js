// Draws every chart of the page from its JSON block with the bundled plotly.min.js.
(function () {
  "use strict";
  document.querySelectorAll("script.chart-data").forEach(function (block) {
    var figure = JSON.parse(block.textContent);
    var target = document.getElementById(block.getAttribute("data-target"));
    window.Plotly.newPlot(target, figure.data, figure.layout,
      { displaylogo: false, responsive: true });
  });
})();
