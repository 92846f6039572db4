// Draws each dashboard chart from the JSON the page carries beside its table (the table is the accessible
// and printable form of the same figures). Without this script, or without Chart.js, the tables remain.
(function () {
  "use strict";
  var PALETTE = ["#0b4f8a", "#c8102e", "#2e7d32", "#f9a825", "#6a1b9a", "#00838f"];

  function percent(value) {
    return (value * 100).toLocaleString(document.documentElement.lang || "vi", { maximumFractionDigits: 2 }) + "%";
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    var round = spec.type === "doughnut";
    var datasets = spec.datasets.map(function (dataset, index) {
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: round ? PALETTE.slice(0, dataset.data.length) : PALETTE[index % PALETTE.length],
        borderWidth: round ? 1 : 0,
      };
    });
    var valueAxis = spec.horizontal ? "x" : "y";
    var scales = {};
    if (!round) {
      scales[valueAxis] = { beginAtZero: true, ticks: spec.percent ? { callback: percent } : {} };
    }
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: scales,
        plugins: {
          legend: { position: "bottom" },
          tooltip: spec.percent ? { callbacks: { label: function (item) { return percent(item.raw); } } } : {},
        },
      },
    });
    canvas.closest(".figure-chart").classList.add("is-drawn");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
