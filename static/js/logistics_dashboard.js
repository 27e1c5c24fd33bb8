/* The logistics dashboard's charts (Chart.js, vendored in static/vendor/chartjs). The data comes from the page's
   json_script element and the series' names from the canvases' data attributes (no inline script: the CSP stays
   strict); every chart's numbers are also in the table under it. */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("logistics-data");
    if (!source || !window.Chart) { return; }
    var data = JSON.parse(source.textContent);
    var rtl = document.documentElement.dir === "rtl";
    var Chart = window.Chart;
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    var options = {
      plugins: { legend: { rtl: rtl, position: "bottom" }, tooltip: { rtl: rtl } },
      scales: { x: { reverse: rtl }, y: { beginAtZero: true, position: rtl ? "right" : "left", ticks: { precision: 0 } } }
    };

    function bars(canvas, labels, series) {
      if (!canvas) { return; }
      new Chart(canvas, {
        type: "bar",
        data: { labels: labels, datasets: series.map(function (s) { return { label: s[0], data: s[1], backgroundColor: s[2] }; }) },
        options: options
      });
    }

    var movements = document.getElementById("chart-movements");
    if (movements) {
      bars(movements, data.movements.days, [[movements.dataset.arrivals, data.movements.arrivals, "#0a58a6"],
        [movements.dataset.departures, data.movements.departures, "#c77700"]]);
    }
    var transfers = document.getElementById("chart-transfers");
    if (transfers) {
      bars(transfers, data.transfers.days, [[transfers.dataset.landing, data.transfers.landing, "#0a58a6"],
        [transfers.dataset.seats, data.transfers.seats, "#1b6e2f"]]);
    }
    var funded = document.getElementById("chart-funded");
    if (funded) {
      bars(funded, data.funded.labels, [["", data.funded.counts, "#6a1b9a"]]);
    }
    Array.prototype.forEach.call(document.querySelectorAll("canvas.rooms-chart"), function (canvas) {
      var block = data.rooms[Number(canvas.dataset.index)];
      bars(canvas, block.nights, [[canvas.dataset.quota, block.quota, "#b0bec5"], [canvas.dataset.taken, block.taken, "#0a58a6"]]);
    });
  });
})();
