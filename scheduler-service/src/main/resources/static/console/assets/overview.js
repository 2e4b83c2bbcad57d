// The overview page: the rates chart (uPlot) and the numbers, from the page's one live stream.
import { follow } from "./live.js";

const HEIGHT = 260;
const element = document.getElementById("rates-chart");
// uPlot's columns: time in seconds, then submitted, completed and failed per second
let columns = [[], [], [], []];
// the most points kept, from the history's capacity: constant memory however long the page stays open
let capacity = 450;

const chart = new uPlot({
  width: element.clientWidth,
  height: HEIGHT,
  scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
  series: [
    {},
    { label: "submitted", stroke: "#3b6fd4", width: 2 },
    { label: "completed", stroke: "#1b7f3b", width: 2 },
    { label: "failed", stroke: "#b3261e", width: 2 },
  ],
  axes: [{}, { label: "tasks / s" }],
}, columns, element);
window.addEventListener("resize", () => chart.setSize({ width: element.clientWidth, height: HEIGHT }));

function drawHistory(history) {
  capacity = history.capacity;
  columns = [history.at.map((ms) => ms / 1000), history.submitted, history.completed, history.failed];
  chart.setData(columns);
  if (history.latest) {
    show(history.latest);
  }
}

function add(sample) {
  const at = sample.at / 1000;
  const times = columns[0];
  if (times.length > 0 && at <= times[times.length - 1]) {
    return; // drawn already
  }
  const point = [at, sample.rates.submitted, sample.rates.completed, sample.rates.failed];
  columns.forEach((column, i) => {
    column.push(point[i]);
    if (column.length > capacity) {
      column.shift();
    }
  });
  chart.setData(columns);
  show(sample);
}

function show(sample) {
  text("queue-depth", sample.queued);
  text("in-flight", sample.inFlight);
  text("p50", duration(sample.p50Ms));
  text("p99", duration(sample.p99Ms));
  text("workers-online", sample.workersOnline);
  text("workers-busy", sample.workersBusy);
  text("leader-address", sample.leader ? sample.leader.address : "none known");
  text("leader-epoch", sample.leader && sample.leader.epoch != null ? sample.leader.epoch : "—");
  text("role", sample.role);
  text("schedulers", sample.schedulers.length === 0 ? "none seen"
    : sample.schedulers.map(other => `${other.address} (${other.role.toLowerCase()})`).join(", "));
}

function duration(ms) {
  if (ms == null) {
    return "—";
  }
  return ms < 1000 ? `${ms.toFixed(ms < 10 ? 1 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function text(id, value) {
  document.getElementById(id).textContent = String(value);
}

follow(element.dataset.stream, {
  snapshot: drawHistory,
  update: add,
  state: (state) => text("stream-state", state),
});
