// Prints how long the wheel takes to render with 11 chosen areas and 20 dated ratings each,
// offline, served by the service worker from its cache: from navigation start
// (performance.now() = 0) to the moment every area's ratings table and every segment's score
// are in the page. Median of several runs; measured, not asserted.

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
  const expected = AREAS.length * RATINGS;
  await context.addInitScript(({ rows, areas }) => {
    window.__wheelVisibleAt = null;
    new MutationObserver((_, observer) => {
      if (window.__hydratedAt === undefined && document.body?.hasAttribute("data-hydrated")) {
        window.__hydratedAt = performance.now();
      }
      if (window.__areasAt === undefined && document.querySelector("li.area")) {
        window.__areasAt = performance.now();
      }
      if (document.querySelectorAll(".ratings-table tbody tr").length >= rows
        && document.querySelectorAll("svg.wheel .segment-score").length >= areas) {
        window.__wheelVisibleAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-hydrated"] });
  }, { rows: expected, areas: AREAS.length });

  const times = [];
  const appUrl = new URL("/hjulet", page.url()).href;
  await page.close();
  for (let run = 0; run < RUNS; run++) {
    const tab = await context.newPage();
    await tab.goto(appUrl);
    await tab.waitForFunction(() => window.__wheelVisibleAt !== null, null, { timeout: 30_000 });
    times.push(await tab.evaluate(() => window.__wheelVisibleAt));
    if (process.env.BENCH_DETAIL) {
      console.log(await tab.evaluate(() => JSON.stringify({
        response: Math.round(performance.getEntriesByType("navigation")[0].responseEnd),
        dcl: Math.round(performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd),
        hydrated: Math.round(window.__hydratedAt), areas: Math.round(window.__areasAt),
        visible: Math.round(window.__wheelVisibleAt),
      })));
    }
    await tab.close();
    // See plan-200.mjs: back-to-back tabs measure the previous tab's teardown.
    await new Promise((settle) => setTimeout(settle, SETTLE_MS));
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`\nwheel with ${AREAS.length} areas × ${RATINGS} ratings rendered, offline from the service worker (ms from navigation start)`);
  console.log(`runs: ${times.map((t) => t.toFixed(0)).join(", ")}`);
  console.log(`median: ${median.toFixed(0)} ms (target ≤ 200 ms)`);
} finally {
  await browser.close();
  await server?.stop();
  ws.remove();
}
