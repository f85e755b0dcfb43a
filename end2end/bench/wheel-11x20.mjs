// Prints how long the wheel takes to render with 11 chosen areas and 20 dated ratings each,
// offline, served by the service worker from its cache: from navigation start
// (performance.now() = 0) to the moment every segment of the drawing shows its latest score
// and every area its latest rating; of that, how long reading the phone's store took and how
// long drawing the wheel took once its data was there. Then, in the same tab, how long
// opening one area takes until its 20 ratings are in its table (areas draw their forms and
// tables only when open). Medians of several runs; measured, not asserted.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { PHONE, workspace, startServer, launchBrowser, hydrated, controlledByWorker } from "../tests/harness.mjs";

const AREAS = ["housing", "money", "work_school_activity", "physical_health", "mental_health", "substance_use",
  "family_relations", "friends_network", "leisure_interests", "daily_living", "meaning_faith_values"];
const RATINGS = 20;
const RUNS = 9;
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 3000);

const ws = workspace();
let server = await startServer(ws);
const browser = await launchBrowser();
try {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(server.url + "/hjulet");
  await hydrated(page);
  await controlledByWorker(page);
  await page.locator("li.area").first().waitFor();

  // The default areas' fixed ids, in their default order, as the page shows them.
  const ids = await page.locator("li.area h3").evaluateAll((hs) => hs.map((h) => h.id.replace(/^area-/, "")));
  const now = Date.now();
  let tick = 0;
  const record = (id, kind, body) => ({
    id, kind, current: { hlc: { wall_ms: now + tick++, counter: 0, device: "bench" }, deleted: false, schema: 1, body }, history: [],
  });
  const wheel = [];
  AREAS.forEach((key, i) => {
    wheel.push(record(ids[i], "wheel.area", {
      name: null, position: 1024 * (i + 1), hidden: false, default_key: key, chosen: true,
      what_matters: `Det som er viktig for meg om ${key}`, help_wanted: null,
    }));
    for (let r = 0; r < RATINGS; r++) {
      const date = new Date(Date.UTC(2025, 0, 1 + 14 * r)).toISOString().slice(0, 10);
      const score = (n) => 1 + ((i * 7 + r * 3 + n) % 10);
      wheel.push(record(randomUUID(), "wheel.rating", {
        area: ids[i], date, importance: score(0), performance: score(1), satisfaction: score(2),
      }));
    }
  });
  const file = join(ws.dir, "bench-wheel.json");
  writeFileSync(file, JSON.stringify({ format: "tillit-export", version: 2, exported_at_ms: now, plan: [], wheel }));
  await page.goto(server.url + "/innstillinger");
  await hydrated(page);
  await page.setInputFiles("#import-file", file);
  await page.getByText(/Lest inn: \d+ endringer/).waitFor();

  await server.stop();
  server = null;
  await context.setOffline(true);
  await context.addInitScript(({ areas }) => {
    window.__wheelVisibleAt = null;
    new MutationObserver((_, observer) => {
      if (window.__hydratedAt === undefined && document.body?.hasAttribute("data-hydrated")) {
        window.__hydratedAt = performance.now();
      }
      if (window.__areasAt === undefined && document.querySelector("li.area")) {
        window.__areasAt = performance.now();
      }
      if (document.querySelectorAll(".area-summary").length >= areas
        && document.querySelectorAll("svg.wheel .segment-score").length >= areas) {
        window.__wheelVisibleAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-hydrated"] });
  }, { areas: AREAS.length });

  const times = [];
  const opens = [];
  const reads = [];
  const renders = [];
  const appUrl = new URL("/hjulet", page.url()).href;
  await page.close();
  for (let run = 0; run < RUNS; run++) {
    const tab = await context.newPage();
    await tab.goto(appUrl);
    await tab.waitForFunction(() => window.__wheelVisibleAt !== null, null, { timeout: 30_000 });
    times.push(await tab.evaluate(() => window.__wheelVisibleAt));
    // From the marks the app sets (src/perf.rs): reading the store, and drawing the wheel
    // once the data is there.
    const [read, render] = await tab.evaluate(() => {
      const at = (name) => performance.getEntriesByName(`tillit:${name}`)[0]?.startTime ?? NaN;
      return [at("loaded") - at("hydrated"), window.__wheelVisibleAt - at("state-set")];
    });
    reads.push(read);
    renders.push(render);
    opens.push(await tab.evaluate(async (rows) => {
      const start = performance.now();
      document.querySelector("details.area-details > summary").click();
      await new Promise((done) => {
        const check = () => (document.querySelectorAll(".ratings-table tbody tr").length >= rows ? done() : requestAnimationFrame(check));
        check();
      });
      return performance.now() - start;
    }, RATINGS));
    if (process.env.BENCH_DETAIL) {
      console.log(await tab.evaluate(() => JSON.stringify({
        response: Math.round(performance.getEntriesByType("navigation")[0].responseEnd),
        dcl: Math.round(performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd),
        hydrated: Math.round(window.__hydratedAt), areas: Math.round(window.__areasAt),
        visible: Math.round(window.__wheelVisibleAt),
        files: Object.fromEntries(performance.getEntriesByType("resource").map((r) => [r.name.split(".").pop(), [Math.round(r.startTime), Math.round(r.responseEnd)]])),
        marks: Object.fromEntries(performance.getEntriesByType("mark").map((m) => [m.name.replace("tillit:", ""), Math.round(m.startTime)])),
      })));
    }
    await tab.close();
    // See plan-200.mjs: back-to-back tabs measure the previous tab's teardown.
    await new Promise((settle) => setTimeout(settle, SETTLE_MS));
  }
  const report = (label, values, target) => {
    values.sort((a, b) => a - b);
    console.log(`\n${label}`);
    console.log(`runs: ${values.map((t) => t.toFixed(0)).join(", ")}`);
    console.log(`median: ${values[Math.floor(values.length / 2)].toFixed(0)} ms${target}`);
  };
  report(`wheel with ${AREAS.length} areas × ${RATINGS} ratings rendered, offline from the service worker (ms from navigation start)`, times, "");
  report("of which: opening and reading the phone's store after hydration (ms)", reads, "");
  report("of which: drawing the wheel once its data is loaded (ms)", renders, " (target ≤ 200 ms)");
  report(`opening one area: its form, chart and ${RATINGS} ratings drawn (ms from the tap)`, opens, "");
} finally {
  await browser.close();
  await server?.stop();
  ws.remove();
}
