/* edgewise session report: draws the charts from the page's JSON data with Chart.js.
 * Sets window.edgewiseCharts (canvas id -> Chart) and, last, window.edgewiseChartsReady = true.
 * All text drawn here goes onto a canvas (never into the HTML), so it cannot inject markup.
 * Turn numbers shown (axis, tooltips, evidence) count from 1 (`turn`); the transcript row
 * anchors use the utterance index from 0 (`index`, anchor "u" + index). */
(function () {
  "use strict";

  var charts = {};
  window.edgewiseCharts = charts;

  var COLOURS = {
    support: "#0072b2",
    challenge: "#d55e00",
    productive: "#009e73",
    defensive: "#e69f00",
    withdrawn: "#6b7280",
    overwhelmed: "#cc79a7",
    session: "#1d2330",
    segment: "#0b5cad"
  };
  var POINT_STYLES = {
    productive: "circle",
    defensive: "triangle",
    withdrawn: "rect",
    overwhelmed: "rectRot"
  };

  function readData() {
    var el = document.getElementById("edgewise-data");
    return el ? JSON.parse(el.textContent || "{}") : {};
  }

  function fmt(value) {
    return value === null || value === undefined ? "n/a" : Number(value).toFixed(2);
  }

  function turnList(turns) {
    if (!turns || !turns.length) {
      return "no client reply";
    }
    return (turns.length > 1 ? "turns " : "turn ") + turns.join(", ");
  }

  function jumpToTurn(chart, elements) {
    if (!elements || !elements.length) {
      return;
    }
    var first = elements[0];
    var point = chart.data.datasets[first.datasetIndex].data[first.index];
    if (point && typeof point.index === "number") {
      window.location.hash = "u" + point.index;
    }
  }

  function make(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas || typeof window.Chart === "undefined") {
      return;
    }
    charts[id] = new window.Chart(canvas, config);
  }

  function timelineConfig(data, words) {
    var moves = data.moves;
    var datasets = [
      {
        label: words.support,
        data: moves.map(function (m) {
          return { x: m.turn, y: m.support, turn: m.turn, index: m.index, code: m.code };
        }),
        borderColor: COLOURS.support,
        backgroundColor: COLOURS.support,
        pointRadius: moves.length > 150 ? 1 : 3,
        borderWidth: 2,
        order: 2
      },
      {
        label: words.challenge,
        data: moves.map(function (m) {
          return { x: m.turn, y: m.challenge, turn: m.turn, index: m.index, code: m.code };
        }),
        borderColor: COLOURS.challenge,
        backgroundColor: COLOURS.challenge,
        pointRadius: moves.length > 150 ? 1 : 3,
        borderWidth: 2,
        order: 2
      }
    ];
    data.kinds.forEach(function (kind) {
      datasets.push({
        label: words.kinds[kind],
        kind: kind,
        data: data.responses
          .filter(function (r) { return r.kind === kind; })
          .map(function (r) {
            return {
              x: r.turn, y: r.y, turn: r.turn, index: r.index, kind: kind, evidence: r.evidence
            };
          }),
        showLine: false,
        pointStyle: POINT_STYLES[kind],
        pointRadius: 9,
        pointHoverRadius: 11,
        borderColor: "#ffffff",
        borderWidth: 1.5,
        backgroundColor: COLOURS[kind],
        order: 1
      });
    });
    return {
      type: "line",
      data: { datasets: datasets },
      options: {
        clip: false,
        interaction: { mode: "nearest", axis: "x", intersect: false },
        onClick: function (event, elements, chart) { jumpToTurn(chart, elements); },
        scales: {
          x: {
            type: "linear",
            min: data.first,
            max: data.last,
            title: { display: true, text: words.xTurn },
            ticks: { precision: 0 }
          },
          y: {
            min: 0,
            max: 1,
            title: { display: true, text: words.yScore }
          }
        },
        plugins: {
          legend: {
            position: "bottom",
            labels: {
              usePointStyle: true,
              boxWidth: 9,
              boxHeight: 9,
              generateLabels: lineLegend,
              sort: function (a, b) { return a.datasetIndex - b.datasetIndex; }
            }
          },
          tooltip: {
            callbacks: {
              title: function (items) {
                return items.length ? words.turn + " " + items[0].raw.turn : "";
              },
              label: function (item) {
                var raw = item.raw;
                if (raw.kind) {
                  return words.reply + ": " + words.kinds[raw.kind] + " (" + turnList(raw.evidence) + ")";
                }
                return item.dataset.label + " " + fmt(raw.y) + (raw.code ? " · " + raw.code : "");
              }
            }
          }
        }
      }
    };
  }

  // Legend entries: a line for the two score series, the point's own shape for the replies.
  function lineLegend(chart) {
    var items = window.Chart.defaults.plugins.legend.labels.generateLabels(chart);
    items.forEach(function (item) {
      if (!chart.data.datasets[item.datasetIndex].kind) {
        item.pointStyle = "line";
        item.lineWidth = 3;
      }
    });
    return items;
  }

  var quadrantPlugin = {
    id: "edgewiseQuadrants",
    beforeDatasetsDraw: function (chart, args, opts) {
      var area = chart.chartArea;
      var x = chart.scales.x.getPixelForValue(opts.support);
      var y = chart.scales.y.getPixelForValue(opts.challenge);
      var ctx = chart.ctx;
      var boxes = [
        [x, area.top, area.right - x, y - area.top, "rgba(0, 158, 115, 0.08)", opts.labels.holding_both, "right", "top"],
        [x, y, area.right - x, area.bottom - y, "rgba(0, 114, 178, 0.07)", opts.labels.comfort, "right", "bottom"],
        [area.left, area.top, x - area.left, y - area.top, "rgba(213, 94, 0, 0.08)", opts.labels.pressure, "left", "top"],
        [area.left, y, x - area.left, area.bottom - y, "rgba(107, 114, 128, 0.08)", opts.labels.disengaged, "left", "bottom"]
      ];
      ctx.save();
      ctx.font = "600 13px system-ui, sans-serif";
      boxes.forEach(function (b) {
        ctx.fillStyle = b[4];
        ctx.fillRect(b[0], b[1], b[2], b[3]);
        ctx.fillStyle = "#5b6472";
        ctx.textAlign = b[6];
        ctx.textBaseline = b[7];
        var tx = b[6] === "right" ? b[0] + b[2] - 8 : b[0] + 8;
        var ty = b[7] === "top" ? b[1] + 8 : b[1] + b[3] - 8;
        ctx.fillText(b[5], tx, ty);
      });
      ctx.strokeStyle = "#98a2b3";
      ctx.setLineDash([5, 4]);
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(x, area.top);
      ctx.lineTo(x, area.bottom);
      ctx.moveTo(area.left, y);
      ctx.lineTo(area.right, y);
      ctx.stroke();
      ctx.restore();
    },
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      ctx.save();
      ctx.font = "12px system-ui, sans-serif";
      ctx.fillStyle = "#1d2330";
      ctx.textAlign = "left";
      ctx.textBaseline = "middle";
      chart.data.datasets.forEach(function (ds, i) {
        if (!ds.pointLabels) {
          return;
        }
        chart.getDatasetMeta(i).data.forEach(function (el, j) {
          var name = ds.data[j] && ds.data[j].name;
          if (name) {
            ctx.fillText(name, el.x + 10, el.y);
          }
        });
      });
      ctx.restore();
    }
  };

  function quadrantConfig(data, words) {
    var datasets = [];
    if (data.segments.length) {
      datasets.push({
        label: words.segments,
        data: data.segments,
        showLine: true,
        borderDash: [4, 4],
        borderColor: COLOURS.segment,
        backgroundColor: COLOURS.segment,
        pointRadius: 6,
        pointLabels: true
      });
    }
    if (data.session) {
      datasets.push({
        label: words.wholeSession,
        data: [data.session],
        backgroundColor: COLOURS.session,
        borderColor: "#ffffff",
        borderWidth: 2,
        pointStyle: "rectRot",
        pointRadius: 11,
        pointHoverRadius: 13,
        pointLabels: true
      });
    }
    return {
      type: "scatter",
      data: { datasets: datasets },
      plugins: [quadrantPlugin],
      options: {
        scales: {
          x: { min: 0, max: 1, title: { display: true, text: words.xSupport } },
          y: { min: 0, max: 1, title: { display: true, text: words.yChallenge } }
        },
        plugins: {
          edgewiseQuadrants: {
            support: data.thresholds.support,
            challenge: data.thresholds.challenge,
            labels: data.labels
          },
          legend: { position: "bottom", labels: { usePointStyle: true, boxWidth: 9, boxHeight: 9 } },
          tooltip: {
            callbacks: {
              label: function (item) {
                var raw = item.raw;
                return (raw.name || "") + ": " + words.support.toLowerCase() + " " + fmt(raw.x) +
                  ", " + words.challenge.toLowerCase() + " " + fmt(raw.y);
              }
            }
          }
        }
      }
    };
  }

  function trendConfig(data, words) {
    var pct = function (v) { return v === null || v === undefined ? null : Math.round(v * 1000) / 10; };
    var datasets = [
      {
        label: words.ctPerSegment,
        data: data.values.map(pct),
        borderColor: COLOURS.productive,
        backgroundColor: COLOURS.productive,
        pointRadius: 6,
        borderWidth: 3,
        spanGaps: false
      }
    ];
    if (data.overall !== null && data.overall !== undefined) {
      datasets.push({
        label: words.ctOverall,
        data: data.values.map(function () { return pct(data.overall); }),
        borderColor: "#5b6472",
        borderDash: [6, 5],
        borderWidth: 2,
        pointRadius: 0,
        pointHoverRadius: 0
      });
    }
    return {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { offset: true, title: { display: true, text: words.xSegment } },
          y: {
            min: 0,
            max: 100,
            title: { display: true, text: words.yShare },
            ticks: { callback: function (v) { return v + "%"; } }
          }
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + (item.raw === null ? "n/a" : item.raw + "%");
              }
            }
          }
        }
      }
    };
  }

  function setDefaults() {
    var Chart = window.Chart;
    if (typeof Chart === "undefined") {
      return;
    }
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";
    Chart.defaults.font.size = 12;
    Chart.defaults.color = "#344054";
  }

  try {
    var data = readData();
    var words = data.words || {};
    setDefaults();
    if (data.timeline) {
      make("chart-timeline", timelineConfig(data.timeline, words));
    }
    if (data.quadrant) {
      make("chart-quadrant", quadrantConfig(data.quadrant, words));
    }
    if (data.trend) {
      make("chart-trend", trendConfig(data.trend, words));
    }
    window.addEventListener("beforeprint", function () {
      Object.keys(charts).forEach(function (key) { charts[key].resize(); });
    });
  } finally {
    window.edgewiseChartsReady = true;
  }
})();
