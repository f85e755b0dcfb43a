// What the offline start-up benches share: seed the phone's store through an import, stop
// the server, go offline, then open the app in a new tab several times and read, in each,
// when the page was ready, with where the time went (the app's own performance marks, see
// app/src/perf.rs). Medians are printed; nothing is asserted.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PHONE, workspace, startServer, launchBrowser, hydrated, controlledByWorker } from "../tests/harness.mjs";

export const RUNS = 9;
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 3000);

/**
 * Starts a server and a browser, visits `path` once online (the service worker installs),
 * lets `seed(page)` return an export file's contents, imports it, and stops the server.
 * Resolves to what `body({ context, url })` returns; cleans up whatever happens.
 */
export async function offlineBench(path, seed, body) {
  const ws = workspace();
  let server = await startServer(ws);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(server.url + path);
    await hydrated(page);
    await controlledByWorker(page);
    const file = join(ws.dir, "bench-export.json");
    writeFileSync(file, JSON.stringify(await seed(page)));
    await page.goto(server.url + "/innstillinger");
    await hydrated(page);
    await page.setInputFiles("#import-file", file);
    await page.getByText(/Lest inn: \d+ endringer/).waitFor();
    const url = new URL(path, page.url()).href;
    await page.close();
    await server.stop();
    server = null;
    if (!process.env.BENCH_NO_EMULATE) await context.setOffline(true);
    return await body({ context, url });
  } finally {
    await browser.close();
    await server?.stop();
    ws.remove();
  }
}

/**
 * Opens `url` in a new tab `RUNS` times, as from the home screen, and collects what
 * `measure(tab)` returns once `ready` (a function run in the page) is true. With
 * `cpuSlowdown` (e.g. 4), the tab's CPU is throttled through the DevTools protocol
 * (`Emulation.setCPUThrottlingRate`, as Lighthouse models a mid-range phone).
 */
export async function inNewTabs(context, url, ready, measure, cpuSlowdown = 1) {
  const results = [];
  for (let run = 0; run < RUNS; run++) {
    const tab = await context.newPage();
    if (cpuSlowdown > 1) {
      const cdp = await context.newCDPSession(tab);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpuSlowdown });
    }
    await tab.goto(url);
    await tab.waitForFunction(ready, null, { timeout: 30_000 });
    results.push(await measure(tab));
    if (process.env.BENCH_DETAIL) console.log(JSON.stringify(await steps(tab)));
    await tab.close();
    // Let the closed tab's teardown finish: back-to-back opens otherwise measure the old
    // page's clean-up (runs jump to ~2 s before the new document starts parsing).
    await new Promise((settle) => setTimeout(settle, SETTLE_MS));
  }
  return results;
}

/** Where a page start's time went: navigation, files, and the app's own marks. */
export function steps(tab) {
  return tab.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    return {
      response: Math.round(nav.responseEnd),
      dcl: Math.round(nav.domContentLoadedEventEnd),
      // Each file by its name without the hash; the chunks together (how many, the first
      // asked for, the last arrived): a page and its `later` part load several of them.
      files: (() => {
        const out = {};
        const chunks = [];
        for (const r of performance.getEntriesByType("resource")) {
          const name = r.name.split("/").pop().replace(/\.[0-9a-f]{16}\./, ".");
          const span = [Math.round(r.startTime), Math.round(r.responseEnd)];
          if (/^chunk_\d+\.wasm$/.test(name)) chunks.push(span);
          else out[name.replace(/_\d{10,}/, "")] = span;
        }
        if (chunks.length) {
          out[`${chunks.length} chunks`] = [Math.min(...chunks.map((c) => c[0])), Math.max(...chunks.map((c) => c[1]))];
        }
        return out;
      })(),
      marks: Object.fromEntries(performance.getEntriesByType("mark")
        .map((m) => [m.name.replace("tillit:", ""), Math.round(m.startTime)])),
    };
  });
}

/** The time between two of the app's marks in this tab (ms). */
export function between(tab, from, to) {
  return tab.evaluate(([a, b]) => {
    const at = (name) => performance.getEntriesByName(`tillit:${name}`)[0]?.startTime ?? NaN;
    return at(b) - at(a);
  }, [from, to]);
}

export function report(label, values, suffix = "") {
  const sorted = [...values].sort((a, b) => a - b);
  console.log(`\n${label}`);
  console.log(`runs: ${sorted.map((t) => t.toFixed(0)).join(", ")}`);
  console.log(`median: ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms${suffix}`);
}
