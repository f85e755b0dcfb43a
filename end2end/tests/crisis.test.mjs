// The crisis screen is for the crisis (issue 10, blocker 2): whatever the user wrote and
// whatever waits elsewhere in the app (a sync conflict), the emergency numbers come first,
// 113 within the first screen of a 360 × 780 phone, with normal and with 200 % text; the
// user's own steps and contacts follow; no status line, conflict or banner above them.

import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { PHONE, hydrated, controlledByWorker, suite, addItem } from "./harness.mjs";

const env = suite();
const SMALL_PHONE = { viewport: { width: 360, height: 780 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const SELF_HELP = "Dette kan jeg gjøre selv";

/** An export file (version 1) with 10 self-help items, one of them changed on another
 * phone too (its other version is in its history), and 5 contacts. */
function planFile(sectionId) {
  const now = Date.now();
  const version = (i, body, device = "this-phone") => ({ hlc: { wall_ms: now + i, counter: 0, device }, deleted: false, schema: 1, body });
  const records = [];
  for (let i = 0; i < 10; i++) {
    const text = `Steg ${i + 1}: gå en tur rundt kvartalet og pust rolig, med en lang tekst som bryter over flere linjer`;
    const body = { section: sectionId, text, position: 1024 * (i + 1) };
    records.push({
      id: randomUUID(), kind: "plan.item", current: version(100 + i, body),
      history: i === 0 ? [version(i, { ...body, text: "Steg 1 skrevet på den andre telefonen" }, "other-phone")] : [],
    });
  }
  for (let i = 0; i < 5; i++) {
    records.push({
      id: randomUUID(), kind: "plan.contact",
      current: version(200 + i, { name: `Kontaktperson nummer ${i + 1}`, relation: "venn", phones: [`9123456${i}`], position: 1024 * (i + 1) }),
      history: [],
    });
  }
  return { format: "tillit-export", version: 1, exported_at_ms: now, records };
}

test("with a pending conflict, 10 steps and 5 contacts, 113 is on the first screen at 360 × 780, also at 200 % text", async () => {
  const context = await env.browser.newContext(SMALL_PHONE);
  const page = await context.newPage();
  const url = env.server.url;
  await page.goto(url + "/");
  await hydrated(page);
  const heading = page.locator("section.plan-section h2", { hasText: SELF_HELP });
  await heading.waitFor();
  const sectionId = (await heading.getAttribute("id")).replace(/^section-/, "");
  const file = join(env.ws.dir, "crisis-plan.json");
  const plan = planFile(sectionId);
  writeFileSync(file, JSON.stringify(plan));
  await page.goto(url + "/innstillinger");
  await hydrated(page);
  await page.setInputFiles("#import-file", file);
  await page.getByText(/Lest inn: \d+ endringer/).waitFor();

  // The first item is waiting as "changed on two devices", as after a sync.
  const conflicted = plan.records[0].id;
  await page.evaluate((id) => new Promise((done, fail) => {
    const open = indexedDB.open("tillit");
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction("meta", "readwrite");
      tx.objectStore("meta").put({ key: "conflicts", value: [id] });
      tx.oncomplete = () => { open.result.close(); done(); };
      tx.onerror = () => fail(tx.error);
    };
  }), conflicted);
  await page.goto(url + "/");
  await hydrated(page);
  await page.locator("li.conflict").waitFor();

  for (const text of ["100%", "200%"]) {
    await page.goto(url + "/krise");
    await hydrated(page);
    // As a phone's text size setting does: the root font size (the CSS is in rem and em).
    await page.evaluate((size) => { document.documentElement.style.fontSize = size; }, text);
    await page.locator(".crisis-self-help li").nth(9).waitFor();
    await page.locator(".crisis-contacts li.contact").nth(4).waitFor();
    const call113 = page.locator('a.call-link[href="tel:113"]');
    const box = await call113.boundingBox();
    assert.ok(box && box.y >= 0 && box.y < 780, `113 starts within the first 780 px at ${text} text (top at ${box?.y})`);
    // Not under the fixed menu either: the number itself is in sight.
    const menu = await page.locator("nav.main-nav").boundingBox();
    const number = await call113.locator(".call-number").boundingBox();
    assert.ok(number.y + number.height <= menu.y, `113 is above the menu at ${text} text (${number.y + number.height} vs ${menu.y})`);
    assert.equal(await page.locator(".conflict, .conflicts").count(), 0, `no conflict on the crisis screen (${text})`);
    assert.equal(await page.locator(".sync-status, .update-banner button, .crisis-button").count(), 0, `no status, banner or button above the help (${text})`);
    // The numbers come before the user's own steps and contacts in the page.
    const order = await page.evaluate(() => {
      const numbers = document.querySelector("a.call-link[href='tel:113']");
      const steps = document.querySelector(".crisis-self-help");
      return numbers.compareDocumentPosition(steps) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    assert.ok(order, `the numbers come before the user's steps (${text})`);
    if (process.env.TILLIT_SCREENSHOTS) {
      await page.screenshot({ path: join(process.env.TILLIT_SCREENSHOTS, `crisis-${text.replace("%", "")}.png`) });
    }
  }

  // Two ways in, one screen: straight to /krise (the small crisis module fills in the
  // user's part) and the crisis button inside the running app (the app's own page).
  await page.evaluate(() => { document.documentElement.style.fontSize = ""; });
  const direct = await crisisOutline(page);
  await page.goto(url + "/");
  await hydrated(page);
  await page.locator("a.crisis-button").click();
  await page.locator(".crisis-contacts li.contact").nth(4).waitFor();
  const inApp = await crisisOutline(page);
  assert.deepEqual(direct, inApp, "the crisis screen is the same whether opened directly or from inside the app");
  await context.close();
});

/** The crisis screen as tags, classes, links, ids and texts; comments and blanks left out,
 * adjacent texts joined (the DOM may split one text into several nodes). */
function crisisOutline(page) {
  return page.evaluate(() => {
    const walk = (node) => {
      if (node.nodeType === Node.TEXT_NODE) return [node.textContent];
      if (node.nodeType !== Node.ELEMENT_NODE) return [];
      const attrs = ["class", "href", "id", "aria-labelledby"].map((a) => node.getAttribute(a)).filter((v) => v !== null);
      return [{ tag: node.tagName, attrs, children: tidy([...node.childNodes].flatMap(walk)) }];
    };
    const tidy = (items) => {
      const joined = [];
      for (const item of items) {
        if (typeof item === "string" && typeof joined[joined.length - 1] === "string") joined[joined.length - 1] += item;
        else joined.push(item);
      }
      return joined
        .map((item) => (typeof item === "string" ? item.replace(/\s+/g, " ").trim() : item))
        .filter((item) => item !== "");
    };
    return walk(document.querySelector(".crisis"));
  });
}

test("straight to the crisis screen in English: the whole app, in English; the switch there works", async () => {
  const context = await env.browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(env.server.url + "/krise");
  await hydrated(page);
  assert.equal(await page.locator("h1").textContent(), "Trenger du hjelp nå?");
  // The small crisis module has no language of its own: the switch remembers English and
  // the page comes back as the app, in English.
  await page.locator("button.lang-switch").click();
  await page.locator("h1", { hasText: "Do you need help now?" }).waitFor();
  await hydrated(page);
  assert.ok(await page.locator('a.call-link[href="tel:113"]').isVisible());
  // And a later first visit straight to the crisis screen stays in English.
  await page.goto(env.server.url + "/krise");
  await page.locator("h1", { hasText: "Do you need help now?" }).waitFor();
  await context.close();
});

test("a first visit straight to the crisis screen still installs the offline app", async () => {
  const context = await env.browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(env.server.url + "/krise");
  await hydrated(page);
  await controlledByWorker(page);
  await context.close();
});

test("a new phone's first visit to the crisis screen makes no database; the plan written after it shows there, and a damaged or a wheel record is skipped", async () => {
  const context = await env.browser.newContext(PHONE);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const url = env.server.url;
  // The boot script reads the phone's records itself (crisis_boot.js). Opening a database
  // that is not there would create an empty one; it must not, so that the app creates it
  // with its stores.
  await page.goto(url + "/krise");
  await hydrated(page);
  assert.equal(await page.locator(".crisis-self-help, .crisis-contacts, .crisis-meet-me").count(), 0);
  const names = () => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  assert.deepEqual(await names(), [], "no database after the crisis screen");

  await page.goto(url + "/");
  await hydrated(page);
  await addItem(page, SELF_HELP, "Ringe søsteren min <b>nå</b>");
  assert.deepEqual(await names(), ["tillit"]);
  // A row the model cannot read and a row of the wheel, beside the plan's.
  await page.evaluate(() => new Promise((done, fail) => {
    const open = indexedDB.open("tillit");
    open.onsuccess = () => {
      const tx = open.result.transaction("records", "readwrite");
      const records = tx.objectStore("records");
      records.put({ id: "not-a-record", kind: "plan.item", current: 7 });
      records.put({ id: crypto.randomUUID(), kind: "plan.item", current: { hlc: { wall_ms: 1, counter: 0, device: "x" }, deleted: false, schema: 1, body: { text: "" } } });
      records.put({ id: crypto.randomUUID(), kind: "wheel.area", current: { hlc: { wall_ms: 1, counter: 0, device: "x" }, deleted: false, schema: 1, body: { name: "Jobb", position: 1 } } });
      tx.oncomplete = () => { open.result.close(); done(); };
      tx.onerror = () => fail(tx.error);
    };
    open.onerror = () => fail(open.error);
  }));

  await page.goto(url + "/krise");
  await hydrated(page);
  const steps = page.locator(".crisis-self-help li");
  await steps.first().waitFor();
  // What the user wrote, as text (never as markup), and nothing of the damaged rows.
  assert.deepEqual(await steps.allTextContents(), ["Ringe søsteren min <b>nå</b>"]);
  assert.equal(await page.locator(".crisis-self-help b").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
