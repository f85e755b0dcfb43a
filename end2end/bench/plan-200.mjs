// Prints how long the plan takes to be visible with 200 items across its sections, offline,
// served by the service worker from its cache: from navigation start (performance.now() = 0)
// to the moment the 200th item is in the page. Median of several runs; measured, not asserted.

import { randomUUID } from "node:crypto";
import { offlineBench, inNewTabs, report } from "./runs.mjs";
import { planDrawn } from "../tests/harness.mjs";

const ITEMS = 200;

await offlineBench("/", async (page) => {
  // 200 items across the text sections (not Kontakter), as a version 1 export file (the
  // import upgrades it, which this exercises too).
  await planDrawn(page);
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
  return { format: "tillit-export", version: 1, exported_at_ms: now, records };
}, async ({ context, url }) => {
  await context.addInitScript((count) => {
    window.__planVisibleAt = null;
    new MutationObserver((_, observer) => {
      if (document.querySelectorAll(".item").length >= count) {
        window.__planVisibleAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, childList: true });
  }, ITEMS);
  const visible = (slowdown) => inNewTabs(context, url, () => window.__planVisibleAt !== null,
    (tab) => tab.evaluate(() => window.__planVisibleAt), slowdown);
  report(`plan with ${ITEMS} items visible, offline from the service worker (ms from navigation start)`, await visible(1), " (target ≤ 200 ms)");
  report(`the same with the CPU throttled 4× (a mid-range phone)`, await visible(4), " (target ≤ 800 ms)");
});
