// Prints how long the wheel takes to render with 11 chosen areas and 20 dated ratings each,
// offline, served by the service worker from its cache: from navigation start
// (performance.now() = 0) to the moment every segment of the drawing shows its latest score
// and every area its latest rating; of that, how long reading the phone's store took and how
// long drawing the wheel took once its data was there. Then, in the same tab, how long
// opening one area takes until its 20 ratings are in its table (areas draw their forms and
// tables only when open). Medians of several runs; measured, not asserted.

import { randomUUID } from "node:crypto";
import { offlineBench, inNewTabs, between, report } from "./runs.mjs";

const AREAS = ["housing", "money", "work_school_activity", "physical_health", "mental_health", "substance_use",
  "family_relations", "friends_network", "leisure_interests", "daily_living", "meaning_faith_values"];
const RATINGS = 20;

await offlineBench("/hjulet", async (page) => {
  // The default areas' fixed ids, in their default order, as the page shows them.
  await page.locator("li.area").first().waitFor();
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
  return { format: "tillit-export", version: 2, exported_at_ms: now, plan: [], wheel };
}, async ({ context, url }) => {
  await context.addInitScript((areas) => {
    window.__wheelVisibleAt = null;
    new MutationObserver((_, observer) => {
      if (document.querySelectorAll(".area-summary").length >= areas
        && document.querySelectorAll("svg.wheel .segment-score").length >= areas) {
        window.__wheelVisibleAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, childList: true });
  }, AREAS.length);
  const runs = await inNewTabs(context, url, () => window.__wheelVisibleAt !== null, async (tab) => ({
    total: await tab.evaluate(() => window.__wheelVisibleAt),
    read: await between(tab, "hydrated", "loaded"),
    render: await tab.evaluate(() => window.__wheelVisibleAt - performance.getEntriesByName("tillit:state-set")[0].startTime),
    open: await tab.evaluate(async (rows) => {
      const start = performance.now();
      document.querySelector("details.area-details > summary").click();
      await new Promise((done) => {
        const check = () => (document.querySelectorAll(".ratings-table tbody tr").length >= rows ? done() : requestAnimationFrame(check));
        check();
      });
      return performance.now() - start;
    }, RATINGS),
  }));
  report(`wheel with ${AREAS.length} areas × ${RATINGS} ratings rendered, offline from the service worker (ms from navigation start)`, runs.map((r) => r.total), " (target ≤ 200 ms)");
  report("of which: opening and reading the phone's store after hydration (ms)", runs.map((r) => r.read));
  report("of which: drawing the wheel once its data is loaded (ms)", runs.map((r) => r.render));
  report(`opening one area: its form, chart and ${RATINGS} ratings drawn (ms from the tap)`, runs.map((r) => r.open));
});
