// Prints the blocking time of a first visit as Lighthouse would count it, from a trace rather
// than from Lighthouse: Lighthouse's own figure on `/` swung from 38 to 319 ms between runs of
// one build on these machines (its simulation multiplies this shared machine's main-thread
// time by 4), too much to tell one change from another. Here each first visit (a new browser
// context, nothing cached, unthrottled as Lighthouse takes its trace) is traced, the page's
// main-thread tasks are read from the trace, and each is scaled as Lighthouse's simulation
// does: × 4, less 50 ms, the rest added up from the first contentful paint on.
//
// Printed per route (median of BENCH_RUNS, 8): that estimate in all, the part until the page
// is hydrated (`tillit:hydrated`) and after, how many tasks count (over 12.5 ms here), and the
// longest task. With BENCH_DETAIL, every counting task of every run: when it started, how long
// it took and what ran in it. Measured, not asserted; compare two builds in one sitting, runs
// alternating (README, "Start-up").
//
// What is not the page's own is left out: the tasks in which Playwright's injected scripts are
// compiled (a script evaluated with no http URL).

import { PHONE, workspace, startServer, launchBrowser } from "../tests/harness.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 8);
const ROUTES = (process.env.BENCH_ROUTES ?? "/,/hjulet,/krise").split(",");
// Long enough for what a page starts once hydrated (the `later` chunk, reading the phone) to
// be over on a first visit here; Lighthouse waits for a quiet window the same way.
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 4000);
const CATEGORIES = [
  "toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "v8.execute",
  "blink.user_timing", "loading",
];

const ws = workspace();
const server = await startServer(ws);
const browser = await launchBrowser();
try {
  console.log(`\nFirst visit, traced: blocking time as Lighthouse scales it (each task × 4 − 50 ms after FCP; median of ${RUNS})`);
  console.log(`${"route".padEnd(10)}${"blocking".padStart(10)}${"to hydr.".padStart(10)}${"after".padStart(8)}${"tasks".padStart(7)}${"longest".padStart(9)}${"hydrated".padStart(10)}   runs`);
  for (const path of ROUTES) {
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      const result = await firstVisit(server.url + path, path, run);
      if (result) runs.push(result);
      else console.log(`  ${path} run ${run + 1}: the trace holds no navigation to the page (not counted)`);
    }
    const median = (pick) => {
      const values = runs.map(pick).filter(Number.isFinite).sort((a, b) => a - b);
      return values.length ? Math.round(values[Math.floor(values.length / 2)]) : "-";
    };
    const cell = (pick, width) => String(median(pick)).padStart(width);
    console.log(`${path.padEnd(10)}${cell((r) => r.blocking, 10)}${cell((r) => r.before, 10)}${cell((r) => r.after, 8)}` +
      `${cell((r) => r.counting, 7)}${cell((r) => r.longest, 9)}${cell((r) => r.hydrated, 10)}   ${runs.map((r) => Math.round(r.blocking)).join(", ")}`);
  }
} finally {
  await browser.close();
  await server.stop();
  ws.remove();
}

async function firstVisit(url, path, run) {
  const context = await browser.newContext(PHONE);
  try {
    const tab = await context.newPage();
    await browser.startTracing(tab, { categories: CATEGORIES });
    await tab.goto(url);
    // Nothing asked of the page while it is traced: a Playwright call would run in its tasks.
    await new Promise((settle) => setTimeout(settle, SETTLE_MS));
    const trace = JSON.parse((await browser.stopTracing()).toString("utf8"));
    const result = blocking(trace.traceEvents ?? trace);
    if (!result) return null;
    if (process.env.BENCH_DETAIL) {
      for (const task of result.tasks) {
        console.log(`  ${path} run ${run + 1}: at ${task.at} ms, ${task.ms.toFixed(1)} ms: ${task.what}`);
      }
    }
    return result;
  } finally {
    await context.close();
  }
}

/** Reads the page's main thread from a trace and adds up its tasks as Lighthouse would;
 * null when the trace holds no navigation to the page (about one trace in twenty-five here). */
function blocking(events) {
  const thread = mainThread(events);
  if (!thread) return null;
  const on = events.filter((e) => e.pid === thread.pid && e.tid === thread.tid);
  const navigation = on.find((e) => e.name === "navigationStart" && e.args?.data?.isLoadingMainFrame
    && /^http/.test(e.args.data.documentLoaderURL ?? ""))?.ts;
  if (navigation === undefined) return null;
  const ms = (ts) => (ts - navigation) / 1000;
  const fcp = on.find((e) => e.name === "firstContentfulPaint" && e.ts >= navigation)?.ts ?? navigation;
  const hydrated = events.find((e) => e.name === "tillit:hydrated" && e.pid === thread.pid)?.ts ?? Infinity;

  const tasks = on.filter((e) => e.ph === "X" && e.name === "ThreadControllerImpl::RunTask" && e.ts >= navigation)
    .sort((a, b) => a.ts - b.ts);
  const inside = on.filter((e) => (e.ph === "X" && e.name !== "ThreadControllerImpl::RunTask")
    || e.name === "ResourceSendRequest")
    // The app's marks are recorded on another thread of the page's process.
    .concat(events.filter((e) => e.pid === thread.pid && e.name.startsWith("tillit:")));
  let before = 0, after = 0, counting = 0, longest = 0;
  const counted = [];
  for (const task of tasks) {
    const end = task.ts + task.dur;
    const within = inside.filter((e) => e.ts >= task.ts && e.ts < end);
    if (within.some(isInjected)) continue;
    const duration = task.dur / 1000;
    longest = Math.max(longest, duration);
    const cost = Math.max(0, 4 * duration - 50);
    if (cost === 0 || end < fcp) continue;
    counting += 1;
    if (task.ts < hydrated) before += cost;
    else after += cost;
    counted.push({ at: Math.round(ms(task.ts)), ms: duration, what: summary(within) });
  }
  return {
    blocking: before + after, before, after, counting, longest,
    hydrated: Number.isFinite(hydrated) ? ms(hydrated) : NaN, tasks: counted,
  };
}

/** The renderer's main thread that navigated to the app (the one with its `navigationStart`). */
function mainThread(events) {
  const navigations = events.filter((e) => e.name === "navigationStart" && e.args?.data?.isLoadingMainFrame
    && /^http/.test(e.args.data.documentLoaderURL ?? ""));
  const last = navigations.at(-1);
  return last && { pid: last.pid, tid: last.tid };
}

/** A script compiled or evaluated with no http URL: Playwright's, not the page's. */
function isInjected(event) {
  if (event.name !== "EvaluateScript" && event.name !== "v8.compile") return false;
  const url = event.args?.data?.url ?? event.args?.fileName ?? "";
  return !/^http/.test(url);
}

/** What took the time in a task: its largest kinds of work by their trace names (nested
 * ones counted in each), the app's marks set in it and how many files it asked for. */
function summary(within) {
  const kinds = new Map();
  const marks = within.filter((e) => e.name.startsWith("tillit:")).map((e) => e.name.slice(7));
  const requests = within.filter((e) => e.name === "ResourceSendRequest").length;
  for (const e of within) {
    if (e.ph !== "X" || !e.dur) continue;
    kinds.set(e.name, (kinds.get(e.name) ?? 0) + e.dur / 1000);
  }
  return [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .concat(marks.map((m) => `mark ${m}`), requests ? [`${requests} requests`] : []).join(", ");
}
