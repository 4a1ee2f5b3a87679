/* edgewise client page: draws the measure, readiness and optimal-stress timelines.
 * Reads the JSON in #client-data; sets window.edgewiseCharts and, last, edgewiseChartsReady. */
(function () {
  "use strict";
  var charts = {};
  window.edgewiseCharts = charts;
  var source = document.getElementById("client-data");
  if (!source || typeof Chart === "undefined") { window.edgewiseChartsReady = true; return; }
  var data = JSON.parse(source.textContent);
  var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var INK = "#1f3a5f", CUT = "#b3261e", BAND = "rgba(46, 125, 50, 0.14)";

  function flat(value, n) {
    var out = [];
    for (var i = 0; i < n; i++) { out.push(value); }
    return out;
  }

  function base(yMin, yMax, yTitle) {
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: reduce ? false : { duration: 300 },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 14,
        filter: function (item) { return item.text !== ""; } } } },
      scales: {
        y: { min: yMin, max: yMax, title: { display: true, text: yTitle } },
        x: { ticks: { autoSkip: true, maxRotation: 0 } }
      }
    };
  }

  function measureChart(m) {
    var canvas = document.getElementById(m.canvas);
    if (!canvas) { return; }
    var n = m.labels.length;
    var sets = [];
    if (m.band) {
      sets.push({ label: "", data: flat(m.band.low, n),
        borderWidth: 0, pointRadius: 0, backgroundColor: BAND, fill: false, order: 3 });
      sets.push({ label: "No reliable change from the first score (± " + m.band.points + ")",
        data: flat(m.band.high, n),
        borderWidth: 0, pointRadius: 0, backgroundColor: BAND, fill: "-1", order: 3 });
    }
    if (m.cutoff !== null) {
      sets.push({ label: "Clinical cut-off", data: flat(m.cutoff, n), borderColor: CUT,
        borderDash: [6, 4], borderWidth: 2, pointRadius: 0, fill: false, order: 2 });
    }
    sets.push({ label: m.label + " total", data: m.totals, borderColor: INK,
      backgroundColor: INK, borderWidth: 3, pointRadius: 5, tension: 0, fill: false, order: 1 });
    charts[m.canvas] = new Chart(canvas, {
      type: "line",
      data: { labels: m.labels, datasets: sets },
      options: (function () {
        var o = base(m.min, m.max, "Total");
        o.scales.y.ticks = { includeBounds: false };
        return o;
      })()
    });
  }

  function sessionChart(id, label, values, colour, percent) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    var options = base(0, 1, percent ? "Share" : "Score (0 to 1)");
    if (percent) {
      options.scales.y.ticks = { callback: function (v) { return Math.round(v * 100) + "%"; } };
    }
    charts[id] = new Chart(canvas, {
      type: "line",
      data: { labels: data.sessions.labels, datasets: [{ label: label, data: values,
        borderColor: colour, backgroundColor: colour, borderWidth: 3, pointRadius: 5,
        spanGaps: true, fill: false }] },
      options: options
    });
  }

  data.measures.forEach(measureChart);
  sessionChart("chart-readiness", "Change-talk share", data.sessions.readiness, "#2e7d32", true);
  sessionChart("chart-stress", "Optimal stress", data.sessions.stress, "#6a1b9a", false);
  window.edgewiseChartsReady = true;
})();
