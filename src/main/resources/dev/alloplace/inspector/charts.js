// alloplace inspector: the history charts (uPlot, bundled). The place keeps the last minutes at one
// sample a second (GET /api/history); the page asks for what is newer than its last sample.
(function () {
  "use strict";

  const units = ["", "k", "M", "G", "T"];

  // 1234567 -> "1.2M": short enough that an axis never clips, exact enough to read.
  function compact(value) {
    if (value == null || !isFinite(value)) return "";
    let v = Math.abs(value), unit = 0;
    while (v >= 1000 && unit < units.length - 1) { v /= 1000; unit++; }
    const digits = v >= 100 || unit === 0 && Number.isInteger(v) ? 0 : v >= 10 ? 1 : 2;
    return (value < 0 ? "-" : "") + v.toFixed(digits).replace(/\.0+$/, "") + units[unit];
  }

  // The y axis as wide as its longest label (uPlot's fixed default clips "12,000" to ",000").
  function axisSize(self, values, axisIdx, cycleNum) {
    const axis = self.axes[axisIdx];
    if (cycleNum > 1) return axis._size;
    let size = axis.ticks.size + axis.gap;
    const longest = (values || []).reduce((a, v) => (v && v.length > a.length ? v : a), "");
    if (longest !== "") {
      self.ctx.font = axis.font[0];
      size += self.ctx.measureText(longest).width / devicePixelRatio;
    }
    return Math.ceil(size) + 4;
  }

  // A line under the title with each series' colour and latest value (in place of uPlot's legend).
  function latest(target, series) {
    const line = document.createElement("div");
    line.className = "latest";
    target.before(line);
    const spans = series.map(s => {
      const span = document.createElement("span");
      span.style.setProperty("--swatch", s.color);
      line.append(span);
      return span;
    });
    return values => values.forEach((v, i) => { spans[i].textContent = (series[i].label || "") + " " + compact(v); });
  }

  const clock = t => new Date(t * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const WHOLE = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6];

  function make(target, series, whole) {
    const opts = {
      width: Math.max(200, target.clientWidth), height: 150,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      series: [{}].concat(series.map(s => ({ label: s.label, stroke: s.color, width: 2, fill: s.fill,
        value: (u, v) => (v == null ? "–" : compact(v)) }))),
      axes: [{ space: 90, values: (u, splits) => splits.map(clock) },
        Object.assign({ size: axisSize, values: (u, splits) => splits.map(compact) }, whole ? { incrs: WHOLE } : {})],
    };
    const chart = new uPlot(opts, [[]].concat(series.map(() => [])), target);
    new ResizeObserver(() => chart.setSize({ width: Math.max(200, target.clientWidth), height: 150 })).observe(target);
    chart.showLatest = latest(target, series);
    return chart;
  }

  // Samples in place time; x is wall-clock seconds, from the place clock's offset to ours.
  function History() {
    this.rows = [];
    this.capacity = 600;
    this.offset = 0;
    this.charts = [
      { chart: make(document.getElementById("chart-heartbeat"), [
          { label: "max", color: "#2f6fdb" }, { label: "mean", color: "#8fb0ec" }]),
        columns: r => [r.heartbeat_max_ms, r.heartbeat_mean_ms] },
      { chart: make(document.getElementById("chart-agents"), [{ label: "", color: "#1f9d55", fill: "rgba(31,157,85,.08)" }], true),
        columns: r => [r.agents] },
      { chart: make(document.getElementById("chart-entities"), [{ label: "", color: "#7a4cc2", fill: "rgba(122,76,194,.08)" }], true),
        columns: r => [r.entities] },
      { chart: make(document.getElementById("chart-bandwidth"), [
          { label: "out", color: "#c05621" }, { label: "in", color: "#2b8a99" }]),
        columns: r => [r.bytes_out_per_s, r.bytes_in_per_s] },
    ];
  }

  History.prototype.since = function () {
    return this.rows.length ? this.rows[this.rows.length - 1].t : 0;
  };

  History.prototype.add = function (answer) {
    this.capacity = answer.capacity;
    this.offset = Date.now() / 1000 - answer.now;
    this.rows.push(...answer.samples);
    if (this.rows.length > this.capacity) this.rows.splice(0, this.rows.length - this.capacity);
    const x = this.rows.map(r => r.t + this.offset);
    this.charts.forEach(c => {
      const columns = this.rows.map(c.columns);
      const data = [x];
      for (let i = 0; i < columns[0]?.length; i++) data.push(columns.map(row => row[i]));
      if (data.length > 1) {
        c.chart.setData(data);
        c.chart.showLatest(columns[columns.length - 1]);
      }
    });
    const note = document.getElementById("history-note");
    const n = this.rows.length;
    note.textContent = n === 0 ? "" : "last " + (n < 120 ? n + " s" : Math.round(n / 6) / 10 + " min") + ", one sample a second";
  };

  window.InspectorCharts = { History: History, compact: compact };
})();
