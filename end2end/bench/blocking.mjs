// Prints how long a first visit blocks the page, as a phone would feel it: Chromium with its
// CPU throttled 4× (`Emulation.setCPUThrottlingRate`, as Lighthouse models a mid-range
// phone), nothing cached, each run in a new browser context. Long tasks are read in the page
// (`PerformanceObserver`, type `longtask`); the blocking time is what Lighthouse's TBT adds
// up, each long task's time past 50 ms after the first contentful paint, but observed rather
// than simulated: Lighthouse's figure swung by ±40 % between runs of one build on these
// machines, too much to tell one change from another. Median of several runs per route, and
// when the page was hydrated; measured, not asserted.

import { PHONE, workspace, startServer, launchBrowser } from "../tests/harness.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ROUTES = ["/", "/hjulet", "/krise"];

const ws = workspace();
const server = await startServer(ws);
const browser = await launchBrowser();
try {
  console.log(`\nFirst visit with the CPU throttled 4×: blocking time of the long tasks after FCP (ms, median of ${RUNS})`);
  console.log(`${"route".padEnd(10)}${"blocking".padStart(10)}${"tasks".padStart(7)}${"hydrated".padStart(10)}   runs`);
  for (const path of ROUTES) {
    const runs = [];
    for (let run = 0; run < RUNS; run++) runs.push(await firstVisit(server.url + path));
    const median = (pick) => runs.map(pick).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
    console.log(`${path.padEnd(10)}${String(median((r) => r.blocking)).padStart(10)}${String(median((r) => r.tasks)).padStart(7)}` +
      `${String(median((r) => r.hydrated)).padStart(10)}   ${runs.map((r) => r.blocking).join(", ")}`);
  }
} finally {
  await browser.close();
  await server.stop();
  ws.remove();
}

async function firstVisit(url) {
  const context = await browser.newContext(PHONE);
  try {
    await context.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const task of list.getEntries()) window.__longTasks.push([task.startTime, task.duration]);
      }).observe({ type: "longtask", buffered: true });
    });
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    await tab.goto(url);
    // The crisis screen's links work before any script; its own small module marks the page
    // too, and the wait below covers it.
    if (!url.endsWith("/krise")) await tab.waitForSelector("body[data-hydrated]", { timeout: 30_000 });
    // What every page starts after hydrating (the `later` chunk, reading the phone) is part
    // of the visit: wait for it to settle.
    await tab.waitForTimeout(5_000);
    return await tab.evaluate(() => {
      const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0;
      const after = window.__longTasks.filter(([start]) => start >= fcp);
      const hydrated = performance.getEntriesByName("tillit:hydrated")[0]?.startTime;
      return {
        blocking: Math.round(after.reduce((sum, [, duration]) => sum + Math.max(0, duration - 50), 0)),
        tasks: after.length,
        hydrated: hydrated === undefined ? "-" : Math.round(hydrated),
      };
    });
  } finally {
    await context.close();
  }
}
