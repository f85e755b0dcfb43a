// Lighthouse (npm `lighthouse`, its default mobile preset with simulated throttling) on `/`
// and on the crisis screen, against the server given by TILLIT_SERVER_BIN, in Debian's
// Chromium. Prints the category scores and LCP/TBT of each run and the median run (by
// performance score); measured, not asserted (targets: performance ≥ 0.98, accessibility
// and best practices 1.0). One run's performance score swings by a few hundredths on these
// machines (0.96 to 0.99 for one build), hence several runs (BENCH_LIGHTHOUSE_RUNS, 3).
// Lighthouse simulates the slow network from a trace taken without it; a run whose trace
// came out unusable (`runtimeError`) is printed and not counted. Its blocking time is the
// machine's own main-thread time multiplied by 4, so a slower machine scores lower for the
// same page: each run prints Lighthouse's measure of the machine's speed (`benchmarkIndex`,
// higher is faster), to tell one machine from another.

import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { CHROMIUM_ARGS, workspace, startServer } from "../tests/harness.mjs";

const RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);

const ws = workspace();
const server = await startServer(ws);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  chromeFlags: CHROMIUM_ARGS,
});
try {
  console.log(`\nLighthouse, mobile preset, ${RUNS} runs per route (targets: performance ≥ 0.98, accessibility 1.0, best practices 1.0)`);
  console.log(`${"route".padEnd(16)}${"perf".padStart(6)}${"a11y".padStart(6)}${"best".padStart(6)}${"LCP ms".padStart(9)}${"TBT ms".padStart(9)}${"FCP ms".padStart(9)}${"host".padStart(7)}`);
  for (const path of ["/", "/krise"]) {
    const rows = [];
    const failing = new Set();
    for (let run = 0; run < RUNS; run++) {
      const result = await lighthouse(server.url + path, {
        port: chrome.port, output: "json", logLevel: "error",
        onlyCategories: ["performance", "accessibility", "best-practices"],
      });
      const { categories: c, audits: a, runtimeError } = result.lhr;
      if (runtimeError || c.performance.score === null) {
        console.log(`${path.padEnd(16)}  run ${run + 1} not usable: ${runtimeError?.code ?? "no score"}`);
        continue;
      }
      const row = {
        perf: c.performance.score, a11y: c.accessibility.score, best: c["best-practices"].score,
        lcp: a["largest-contentful-paint"].numericValue, tbt: a["total-blocking-time"].numericValue,
        fcp: a["first-contentful-paint"].numericValue,
        host: result.lhr.environment.benchmarkIndex,
      };
      rows.push(row);
      console.log(line(`${path} run ${run + 1}`, row));
      // BENCH_DETAIL=1: the main thread's long tasks as Lighthouse saw them (simulated ms),
      // what its blocking time is made of.
      if (process.env.BENCH_DETAIL) {
        for (const task of a["long-tasks"]?.details?.items ?? []) {
          console.log(`    long task at ${Math.round(task.startTime)} ms: ${Math.round(task.duration)} ms, ${task.url}`);
        }
      }
      for (const [id, audit] of Object.entries(a)) {
        if (audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === "binary") failing.add(id);
      }
    }
    if (rows.length) console.log(line(`${path} median`, [...rows].sort((x, y) => x.perf - y.perf)[Math.floor(rows.length / 2)]));
    for (const id of failing) console.log(`    not passed: ${id}`);
  }
} finally {
  chrome.kill();
  await server.stop();
  ws.remove();
}

function line(label, r) {
  const ms = (v) => Math.round(v).toString().padStart(9);
  return `${label.padEnd(16)}${r.perf.toFixed(2).padStart(6)}${r.a11y.toFixed(2).padStart(6)}${r.best.toFixed(2).padStart(6)}${ms(r.lcp)}${ms(r.tbt)}${ms(r.fcp)}${String(Math.round(r.host)).padStart(7)}`;
}
