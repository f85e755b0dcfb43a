// Prints what a first visit costs in time on a slow phone network, for the routes whose page
// shows data only the phone has (the plan, the wheel): when the page is first painted (its
// first contentful paint: the server's HTML, whose crisis button already works), its largest
// paint (Lighthouse's LCP as the browser observes it, and which element it was), when the
// page works (the app's `tillit:hydrated` mark: the frame, the menu and the crisis button
// answer) and when the user's part of it is drawn (a new user's plan sections, the wheel's
// areas; the crisis screen has none on a new phone: it works once its own small module has
// started). The network is Lighthouse's mobile model through the DevTools protocol (150 ms
// round trip, 1.6 Mbit/s down, 750 kbit/s up), the CPU throttled 4×, the service worker
// blocked (as in the size budget: nothing from a cache). Medians of a few runs; measured,
// not asserted.

import { PHONE, workspace, startServer, launchBrowser } from "../tests/harness.mjs";
import { report } from "./runs.mjs";

const RUNS = Number(process.env.BENCH_SLOW_RUNS ?? 3);
const ROUTES = [
  { path: "/", part: "section.plan-section" },
  { path: "/hjulet", part: ".area-list" },
  { path: "/krise", part: null },
];

const ws = workspace();
const server = await startServer(ws);
const browser = await launchBrowser();
try {
  for (const route of ROUTES) {
    const painted = [];
    const largest = [];
    const largestElements = new Set();
    const works = [];
    const drawn = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ ...PHONE, serviceWorkers: "block" });
      const tab = await context.newPage();
      const cdp = await context.newCDPSession(tab);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: 150,
        downloadThroughput: (1.6 * 1024 * 1024) / 8,
        uploadThroughput: (750 * 1024) / 8,
      });
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
      // When the part's first element enters the page (a MutationObserver from the start).
      await tab.addInitScript(([selector, attributes]) => {
        window.__partAt = null;
        window.__largest = null;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) window.__largest = entry;
        }).observe({ type: "largest-contentful-paint", buffered: true });
        new MutationObserver((_, observer) => {
          if (document.querySelector(selector)) {
            window.__partAt = performance.now();
            observer.disconnect();
          }
        }).observe(document, { subtree: true, childList: true, attributes });
      }, [route.part ?? "body[data-hydrated]", route.part === null]);
      await tab.goto(server.url + route.path);
      await tab.waitForFunction(() => window.__partAt !== null, null, { timeout: 120_000 });
      // Lighthouse takes the largest paint until the page is quiet; the part is drawn by then.
      await tab.waitForTimeout(1_000);
      const [largestAt, largestElement] = await tab.evaluate(() => [
        window.__largest?.startTime ?? NaN,
        window.__largest?.element ? `${window.__largest.element.localName}.${window.__largest.element.className}` : "?",
      ]);
      largest.push(largestAt);
      largestElements.add(largestElement);
      const [paintedAt, hydratedAt, drawnAt] = await tab.evaluate(() => [
        performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
        performance.getEntriesByName("tillit:hydrated")[0]?.startTime ?? NaN,
        window.__partAt,
      ]);
      painted.push(paintedAt);
      works.push(hydratedAt);
      drawn.push(drawnAt);
      await context.close();
    }
    report(`${route.path}: first painted, first visit on a slow network (ms)`, painted);
    report(`${route.path}: largest paint (${[...largestElements].join(", ")}) (ms)`, largest);
    report(`${route.path}: the page works (hydrated), first visit on a slow network (ms)`, works);
    if (route.part) report(`${route.path}: its own part drawn (ms)`, drawn);
  }
} finally {
  await browser.close();
  await server.stop();
  ws.remove();
}
