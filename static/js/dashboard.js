/* The organizers' dashboard charts (Chart.js, vendored in static/vendor/chartjs). The data comes from the page's
   json_script element (no inline script: the CSP stays strict); every chart's numbers are also in a table. */
(function () {
  "use strict";

  var STATUS_COLOURS = { invited: "#7b8794", submitted: "#c77700", approved: "#1b6e2f", rejected: "#a61b12", cancelled: "#39434e" };
  // The badges' category colours (static/pdf/badge.css).
  var CATEGORY_COLOURS = { head: "#8b1a1a", delegate: "#1f4e9c", expert: "#2e7d32", speaker: "#e65100", unodc: "#009edb",
    organizer: "#6a1b9a", interpreter: "#6d4c41", media: "#f9c200", security: "#111111", support: "#607d8b" };
  var GENDER_COLOURS = ["#0a58a6", "#c2185b", "#00897b", "#7b8794", "#b0bec5"];
  var FALLBACK = ["#0a58a6", "#c77700", "#1b6e2f", "#a61b12", "#6a1b9a", "#00897b", "#5d4037", "#7b8794"];

  function colour(map, value, index) { return map[value] || FALLBACK[index % FALLBACK.length]; }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.Chart) { return; }
    var data = JSON.parse(source.textContent);
    var rtl = document.documentElement.dir === "rtl";
    var Chart = window.Chart;
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    var common = { plugins: { legend: { rtl: rtl, position: "bottom" }, tooltip: { rtl: rtl } } };

    var registrations = document.getElementById("chart-registrations");
    if (registrations) {
      new Chart(registrations, {
        type: "line",
        data: {
          labels: data.registrations.days,
          datasets: data.registrations.statuses.map(function (status, index) {
            var c = colour(STATUS_COLOURS, status.value, index);
            return { label: status.label, data: status.counts, borderColor: c, backgroundColor: c, fill: false, tension: 0.1, pointRadius: 2 };
          })
        },
        options: Object.assign({ scales: { x: { reverse: rtl }, y: { beginAtZero: true, position: rtl ? "right" : "left", ticks: { precision: 0 } } } }, common)
      });
    }

    var delegations = document.getElementById("chart-delegations");
    if (delegations) {
      new Chart(delegations, {
        type: "bar",
        data: {
          labels: data.delegations.labels,
          datasets: data.delegations.categories.filter(function (category) {
            return category.counts.some(function (n) { return n > 0; });
          }).map(function (category, index) {
            return { label: category.label, data: category.counts, backgroundColor: colour(CATEGORY_COLOURS, category.value, index) };
          })
        },
        options: Object.assign({ scales: { x: { stacked: true, reverse: rtl }, y: { stacked: true, beginAtZero: true, position: rtl ? "right" : "left", ticks: { precision: 0 } } } }, common)
      });
    }

    var genders = document.getElementById("chart-genders");
    if (genders) {
      new Chart(genders, {
        type: "doughnut",
        data: {
          labels: data.genders.map(function (row) { return row.label; }),
          datasets: [{ data: data.genders.map(function (row) { return row.count; }),
                       backgroundColor: data.genders.map(function (row, index) { return GENDER_COLOURS[index % GENDER_COLOURS.length]; }) }]
        },
        options: common
      });
    }

    // The other apps' charts (logistics: arrivals by day): one bar per day.
    Array.prototype.forEach.call(document.querySelectorAll("canvas.extra-chart"), function (canvas) {
      var chart = data.extra[Number(canvas.dataset.index)];
      if (!chart) { return; }
      new Chart(canvas, {
        type: "bar",
        data: { labels: chart.days, datasets: [{ label: chart.label, data: chart.counts, backgroundColor: "#0a58a6" }] },
        options: Object.assign({ scales: { x: { reverse: rtl }, y: { beginAtZero: true, position: rtl ? "right" : "left",
          ticks: { precision: 0, stepSize: Math.max.apply(null, chart.counts.concat([0])) <= 10 ? 1 : undefined } } } }, common)
      });
    });
  });
})();
