// Prints how long the plan takes to be visible with 200 items across its sections, offline,
// served by the service worker from its cache: from navigation start (performance.now() = 0)
// to the moment the 200th item is in the page. Median of several runs; measured, not asserted.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { PHONE, workspace, startServer, launchBrowser, hydrated, controlledByWorker } from "../tests/harness.mjs";

const ITEMS = 200;
const RUNS = 9;
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 3000);

const ws = workspace();
let server = await startServer(ws);
const browser = await launchBrowser();
try {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(server.url + "/");
  await hydrated(page);
  await controlledByWorker(page);
  await page.locator("section.plan-section").first().waitFor();

  // 200 items across the text sections (not Kontakter), as an export file to import.
  const sections = await page.locator("section.plan-section h2").evaluateAll((hs) =>
    hs.filter((h) => h.textContent !== "Kontakter").map((h) => h.id.replace(/^section-/, "")));
  const now = Date.now();
  const records = Array.from({ length: ITEMS }, (_, i) => ({
    id: randomUUID(),
    kind: "plan.item",
    current: {
      hlc: { wall_ms: now + i, counter: 0, device: "bench" },
      deleted: false,
      schema: 1,
      body: { section: sections[i % sections.length], text: `Punkt ${i + 1}: en kort tekst om hva som hjelper`, position: 1024 * (i + 1) },
    },
    history: [],
  }));
  const file = join(ws.dir, "bench-export.json");
  writeFileSync(file, JSON.stringify({ format: "tillit-export", version: 1, exported_at_ms: now, records }));
  await page.goto(server.url + "/innstillinger");
  await hydrated(page);
  await page.setInputFiles("#import-file", file);
  await page.getByText(/Lest inn: \d+ endringer/).waitFor();

  await server.stop();
  server = null;
  if (!process.env.BENCH_NO_EMULATE) await context.setOffline(true);
  // Each run opens the app in a new tab, as from the home screen. (Navigating one tab over
  // and over measures the old page's teardown too: runs then jump to ~2 s before the new
  // document even starts parsing.)
  await context.addInitScript((count) => {
    window.__planVisibleAt = null;
    new MutationObserver((_, observer) => {
      if (window.__hydratedAt === undefined && document.body?.hasAttribute("data-hydrated")) {
        window.__hydratedAt = performance.now();
      }
      if (document.querySelectorAll(".item").length >= count) {
        window.__planVisibleAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, childList: true });
  }, ITEMS);

  const times = [];
  const appUrl = new URL("/", page.url()).href;
  await page.close();
  for (let run = 0; run < RUNS; run++) {
    const page = await context.newPage();
    await page.goto(appUrl);
    await page.waitForFunction(() => window.__planVisibleAt !== null, null, { timeout: 30_000 });
    times.push(await page.evaluate(() => window.__planVisibleAt));
    if (process.env.BENCH_DETAIL) {
      console.log(await page.evaluate(() => JSON.stringify({
        response: performance.getEntriesByType("navigation")[0].responseEnd,
        dcl: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
        hydrated: window.__hydratedAt, visible: window.__planVisibleAt,
      })));
    }
    await page.close();
    // Let the closed tab's teardown finish: back-to-back opens otherwise measure the old
    // page's clean-up (runs jump to ~2 s before the new document starts parsing).
    await new Promise((settle) => setTimeout(settle, SETTLE_MS));
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`\nplan with ${ITEMS} items visible, offline from the service worker (ms from navigation start)`);
  console.log(`runs: ${times.map((t) => t.toFixed(0)).join(", ")}`);
  console.log(`median: ${median.toFixed(0)} ms (target ≤ 300 ms)`);
} finally {
  await browser.close();
  await server?.stop();
  ws.remove();
}
