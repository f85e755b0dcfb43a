// One phone, one account: A's plan never ends up in B's account because B logged in on the
// phone A used, and "Logg ut og fjern alt fra denne telefonen" leaves nothing behind.
//
// A phone is a browser context (its own IndexedDB, localStorage and cookies). What B's
// account holds is read through the API with B's own session (POST /api/v1/sync from 0).

import { test } from "node:test";
import assert from "node:assert/strict";
import { PHONE, hydrated, assertAccessible, suite, planSection as section, addItem, openPlan } from "./harness.mjs";

const env = suite();
const PASS = "en lang og god passordfrase";

async function statusIs(page, text, timeout = 20_000) {
  await page.locator("p.sync-status", { hasText: text }).waitFor({ timeout });
}

/** Waits until the phone's outbox is empty: the last edit has reached the server. */
async function backedUp(page) {
  await page.waitForFunction(
    () =>
      new Promise((resolve) => {
        const open = indexedDB.open("tillit");
        open.onsuccess = () => {
          const count = open.result.transaction("outbox").objectStore("outbox").count();
          count.onsuccess = () => {
            open.result.close();
            resolve(count.result === 0);
          };
        };
      }),
    null,
    { timeout: 20_000, polling: 250 },
  );
  await statusIs(page, "Sikkerhetskopiert");
}

async function openSettings(page) {
  await page.goto(env.server.url + "/innstillinger");
  await hydrated(page);
}

/** Logs in (or creates the account) from Innstillinger; does not choose or turn on sync. */
async function logIn(page, username, { create = false } = {}) {
  await openSettings(page);
  await page.getByLabel("Brukernavn eller e-post").fill(username);
  await page.getByLabel("Passordfrase", { exact: true }).fill(PASS);
  await page.getByRole("button", { name: create ? "Opprett konto" : "Logg inn" }).click();
  await page.getByText("Logget inn som").waitFor();
}

async function turnOnSync(page) {
  await page.getByRole("button", { name: "Slå på sikkerhetskopi og synkronisering" }).click();
  await statusIs(page, "Sikkerhetskopiert");
}

/** Every record the signed-in account holds on the server: its own pull from 0. */
async function accountRecords(page) {
  return page.evaluate(async () => {
    const changes = [];
    let since = 0;
    for (;;) {
      const res = await fetch("/api/v1/sync", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ device: "e2e-check", since, changes: [] }),
      });
      if (!res.ok) throw new Error(`sync answered ${res.status}`);
      const reply = await res.json();
      changes.push(...reply.changes);
      since = reply.cursor;
      if (!reply.more) return changes;
    }
  });
}

/** What Tillit keeps in this phone's IndexedDB and localStorage. */
async function onThePhone(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("tillit");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(["records", "history", "outbox", "meta"]);
          const out = { localStorage: Object.keys(localStorage).filter((k) => k.startsWith("tillit.")).sort() };
          for (const name of ["records", "history", "outbox"]) {
            const count = tx.objectStore(name).count();
            count.onsuccess = () => (out[name] = count.result);
          }
          const keys = tx.objectStore("meta").getAllKeys();
          keys.onsuccess = () => (out.meta = keys.result.sort());
          tx.oncomplete = () => {
            db.close();
            resolve(out);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

const texts = (records) => records.map((c) => c.version?.body?.text).filter(Boolean);

test("A uses the phone with sync and logs out; B logs in there, is asked, starts empty: nothing of A's reaches B", async () => {
  const errors = [];
  // B already has an account and a plan of their own, on their own phone.
  const bOwn = await (await env.browser.newContext(PHONE)).newPage();
  bOwn.on("pageerror", (err) => errors.push(err.message));
  await logIn(bOwn, "bodil.own", { create: true });
  await turnOnSync(bOwn);
  await openPlan(bOwn, env.server.url);
  await addItem(bOwn, "Mine varselsignaler", "Bodil går en tur");
  await backedUp(bOwn);

  // A writes a plan on the shared phone first, then creates an account and keeps it.
  const phone = await (await env.browser.newContext(PHONE)).newPage();
  phone.on("pageerror", (err) => errors.push(err.message));
  await openPlan(phone, env.server.url);
  await addItem(phone, "Mine varselsignaler", "Astrid sover dårlig");
  await addItem(phone, "Dette kan trigge meg", "Astrid tåler ikke høye lyder");
  await logIn(phone, "astrid.phone", { create: true });
  const choice = phone.locator("section.phone-choice");
  await choice.getByText("ikke koblet til noen konto").waitFor();
  assert.equal(await phone.getByRole("button", { name: "Slå på sikkerhetskopi og synkronisering" }).count(), 0, "asked before backup");
  await assertAccessible(phone, "the question after creating an account");
  await choice.getByRole("button", { name: "Behold det for denne kontoen" }).click();
  await phone.getByText("Det som er på telefonen, hører nå til denne kontoen.").waitFor();
  await turnOnSync(phone);
  const astrids = await accountRecords(phone);
  assert.ok(texts(astrids).includes("Astrid sover dårlig"), "A's plan is in A's account");
  const astridIds = new Set(astrids.map((c) => c.id));

  // A turns backup off, writes one more thing (never backed up) and logs out.
  await phone.getByRole("button", { name: "Slå av sikkerhetskopi" }).click();
  await openPlan(phone, env.server.url);
  await addItem(phone, "Mine varselsignaler", "Astrid skriver uten sikkerhetskopi");
  await openSettings(phone);
  await phone.getByRole("button", { name: "Logg ut", exact: true }).click();
  await phone.getByText("Du er logget ut.").waitFor();

  // B logs in on the same phone: asked first, without the choice to keep A's plan.
  await logIn(phone, "bodil.own");
  await choice.getByText("hører til en annen konto").waitFor();
  assert.equal(await choice.getByRole("button", { name: "Behold det for denne kontoen" }).count(), 0, "A's plan cannot be kept for B");
  assert.equal(await phone.getByRole("button", { name: "Slå på sikkerhetskopi og synkronisering" }).count(), 0, "no backup before choosing");
  // The store refuses whatever the page does: a round now sends nothing.
  await phone.getByRole("button", { name: "Start tom" }).click();
  // What is lost is said plainly, and must be confirmed.
  await choice.locator(".phone-unsent", { hasText: /1 endring på denne telefonen er aldri sikkerhetskopiert/ }).waitFor();
  await assertAccessible(phone, "the confirmation before starting empty");
  await choice.getByRole("button", { name: "Ja, slett det og start tom" }).click();
  await phone.getByText("Telefonen er tømt og hører nå til denne kontoen.").waitFor();
  await turnOnSync(phone);

  // On the phone: B's plan, nothing of A's.
  await openPlan(phone, env.server.url);
  await section(phone, "Mine varselsignaler").locator(".item-text", { hasText: "Bodil går en tur" }).waitFor();
  assert.equal(await phone.getByText(/Astrid/).count(), 0, "nothing of A's is visible to B");
  const left = await onThePhone(phone);
  assert.equal(left.outbox, 0);

  // In B's account (B's own pull from 0): none of A's records.
  const bodils = await accountRecords(phone);
  assert.deepEqual(texts(bodils), ["Bodil går en tur"]);
  assert.equal(bodils.filter((c) => astridIds.has(c.id)).length, 0, "none of A's records in B's account");

  // And on B's own phone.
  await openPlan(bOwn, env.server.url);
  await statusIs(bOwn, "Sikkerhetskopiert");
  assert.equal(await bOwn.getByText(/Astrid/).count(), 0, "nothing of A's on B's own phone");
  assert.deepEqual(errors, [], "no page errors");
});

test("Logg ut og fjern alt fra denne telefonen: says what is backed up or lost, then leaves nothing", async () => {
  const errors = [];
  const phone = await (await env.browser.newContext(PHONE)).newPage();
  phone.on("pageerror", (err) => errors.push(err.message));

  // An empty phone is not asked about: it simply becomes the account's.
  await logIn(phone, "rune.remove", { create: true });
  await turnOnSync(phone);
  await openPlan(phone, env.server.url);
  await addItem(phone, "Mine varselsignaler", "Rune blir stille");
  await backedUp(phone);

  // Everything is backed up: it says so, and the confirmation removes everything.
  await openSettings(phone);
  await phone.getByRole("button", { name: "Logg ut og fjern alt fra denne telefonen" }).click();
  const panel = phone.locator(".remove-everything");
  await panel.getByText("Alt på denne telefonen er sikkerhetskopiert.").waitFor();
  await assertAccessible(phone, "log out and remove everything");
  await panel.getByRole("button", { name: "Ja, logg ut og fjern alt" }).click();
  await phone.getByText("Du er logget ut, og alt er fjernet fra denne telefonen.").waitFor();
  assert.deepEqual(await onThePhone(phone), {
    localStorage: [],
    records: 0,
    history: 0,
    outbox: 0,
    meta: ["clock", "device", "schema"],
  });
  await openPlan(phone, env.server.url);
  assert.equal(await phone.getByText("Rune blir stille").count(), 0, "nothing left on the phone");

  // Logging in again brings the backup back.
  await logIn(phone, "rune.remove");
  await turnOnSync(phone);
  await openPlan(phone, env.server.url);
  await section(phone, "Mine varselsignaler").locator(".item-text", { hasText: "Rune blir stille" }).waitFor();

  // With backup off, a new edit is not backed up: the loss is said plainly first.
  await openSettings(phone);
  await phone.getByRole("button", { name: "Slå av sikkerhetskopi" }).click();
  await openPlan(phone, env.server.url);
  await addItem(phone, "Mine varselsignaler", "Rune ringer en venn");
  await openSettings(phone);
  await phone.getByRole("button", { name: "Logg ut og fjern alt fra denne telefonen" }).click();
  await panel.locator(".remove-what", { hasText: /1 endring på denne telefonen er aldri sikkerhetskopiert/ }).waitFor();
  await panel.getByRole("button", { name: "Avbryt" }).click();
  await phone.getByText("Logget inn som").waitFor();
  assert.equal((await onThePhone(phone)).outbox, 1, "cancelling changes nothing");
  await phone.getByRole("button", { name: "Logg ut og fjern alt fra denne telefonen" }).click();
  await panel.getByRole("button", { name: "Ja, logg ut og fjern alt" }).click();
  await phone.getByText("Du er logget ut, og alt er fjernet fra denne telefonen.").waitFor();
  const left = await onThePhone(phone);
  assert.deepEqual([left.records, left.history, left.outbox, left.localStorage], [0, 0, 0, []]);
  assert.deepEqual(errors, [], "no page errors");
});

test("the same person logging out and in again is not asked: the plan is still theirs", async () => {
  const errors = [];
  const phone = await (await env.browser.newContext(PHONE)).newPage();
  phone.on("pageerror", (err) => errors.push(err.message));
  await logIn(phone, "siri.again", { create: true });
  await turnOnSync(phone);
  await openPlan(phone, env.server.url);
  await addItem(phone, "Mine varselsignaler", "Siri glemmer å spise");
  await backedUp(phone);
  await openSettings(phone);
  await phone.getByRole("button", { name: "Logg ut", exact: true }).click();
  await phone.getByText("Alt ditt er fortsatt på denne telefonen.").waitFor();
  await logIn(phone, "siri.again");
  await phone.getByRole("button", { name: "Slå på sikkerhetskopi og synkronisering" }).waitFor();
  assert.equal(await phone.locator("section.phone-choice").count(), 0, "not asked");
  await turnOnSync(phone);
  await openPlan(phone, env.server.url);
  await section(phone, "Mine varselsignaler").locator(".item-text", { hasText: "Siri glemmer å spise" }).waitFor();
  assert.deepEqual(errors, [], "no page errors");
});
