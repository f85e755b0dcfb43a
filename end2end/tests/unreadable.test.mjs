// Something on the phone the app cannot read: a damaged row, and a record written by a
// newer app (a schema this build does not know). The plan and the wheel say so, show
// everything else, go on saving, and delete nothing. (tests/store.rs checks the store
// itself; this is what the person sees.)

import { test } from "node:test";
import assert from "node:assert/strict";
import { PHONE, hydrated, suite, planSection as section, addItem, planDrawn } from "./harness.mjs";

const env = suite();
const UNREADABLE = "Noe lagret på telefonen kunne ikke leses. Det er ikke slettet.";
const NEWER = "0190a5b4-7c3e-7000-8000-00000000beef";

/** Writes rows straight into the phone's `records` store, as another build could. */
function putRecords(page, rows) {
  return page.evaluate((rows) => new Promise((done, fail) => {
    const open = indexedDB.open("tillit");
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction("records", "readwrite");
      for (const row of rows) tx.objectStore("records").put(row);
      tx.oncomplete = () => { open.result.close(); done(); };
      tx.onerror = () => fail(tx.error);
    };
  }), rows);
}

function recordIds(page) {
  return page.evaluate(() => new Promise((done, fail) => {
    const open = indexedDB.open("tillit");
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const keys = open.result.transaction("records").objectStore("records").getAllKeys();
      keys.onsuccess = () => { open.result.close(); done(keys.result); };
      keys.onerror = () => fail(keys.error);
    };
  }));
}

test("a damaged row and a record from a newer app: the rest shows, saving goes on, nothing is deleted", async () => {
  const context = await env.browser.newContext(PHONE);
  const page = await context.newPage();
  const url = env.server.url;
  await page.goto(url + "/");
  await hydrated(page);
  await addItem(page, "Mine varselsignaler", "Sover dårlig");
  assert.equal(await page.getByText(UNREADABLE).count(), 0, "nothing is said while everything reads");

  await putRecords(page, [
    { id: "not-a-uuid", kind: "plan.item", current: 42 },
    {
      id: NEWER,
      kind: "plan.item",
      current: { hlc: { wall_ms: Date.now(), counter: 0, device: "newer-phone" }, deleted: false, schema: 2, body: { text: "fra en nyere app" } },
    },
  ]);

  await page.reload();
  await hydrated(page);
  await page.getByText(UNREADABLE).first().waitFor();
  await section(page, "Mine varselsignaler").locator(".item-text", { hasText: "Sover dårlig" }).waitFor();
  await planDrawn(page);
  assert.equal(await page.getByText("fra en nyere app").count(), 0, "what cannot be read is not shown as if it could");
  assert.ok(await page.getByRole("link", { name: "Krise – få hjelp" }).isVisible(), "the crisis button is there");

  await page.goto(url + "/hjulet");
  await hydrated(page);
  await page.getByText(UNREADABLE).first().waitFor();

  // Saving goes on, and survives a reload, beside what could not be read.
  await page.goto(url + "/");
  await hydrated(page);
  await addItem(page, "Mine varselsignaler", "Trekker meg unna");
  await page.reload();
  await hydrated(page);
  const items = section(page, "Mine varselsignaler").locator(".item-text");
  await items.filter({ hasText: "Trekker meg unna" }).waitFor();
  assert.deepEqual(await items.allTextContents(), ["Sover dårlig", "Trekker meg unna"]);
  await page.getByText(UNREADABLE).first().waitFor();

  const ids = await recordIds(page);
  assert.ok(ids.includes("not-a-uuid"), "the damaged row is still on the phone");
  assert.ok(ids.includes(NEWER), "the newer app's record is still on the phone");
  await context.close();
});
