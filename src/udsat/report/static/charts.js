// Draws every chart of the page from its JSON block with the bundled plotly.min.js.
// No toolbar (its buttons would fill the tab order) and nothing that sends data anywhere: no
// "share" / "edit in Chart Studio" link. The charts do not zoom, so a swipe scrolls the page;
// hovering a point shows its value, and the table beside each chart holds every figure.
(function () {
  "use strict";
  var config = {
    displayModeBar: false,
    displaylogo: false,
    showLink: false,
    sendData: false,
    showEditInChartStudio: false,
    showSendToCloud: false,
    showTips: false,
    scrollZoom: false,
    doubleClick: false,
    responsive: true
  };
  document.querySelectorAll("script.chart-data").forEach(function (block) {
    var figure = JSON.parse(block.textContent);
    var target = document.getElementById(block.getAttribute("data-target"));
    window.Plotly.newPlot(target, figure.data, figure.layout, config);
  });
})();
