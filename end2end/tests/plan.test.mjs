// The plan on the phone, offline: after one online visit the server is stopped and the
// browser is offline for the rest of the test. The user builds a plan, reloads and reopens,
// renames, reorders and hides sections, deletes and undoes, restores an earlier version,
// sees it all on the crisis screen, prints it, and exports it into a fresh profile.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PHONE, startServer, hydrated, controlledByWorker, headingIs, assertAccessible, suite, newItemField, planSection as section, addItem, planDrawn, openPlan } from "./harness.mjs";

const RESULTS = join(import.meta.dirname, "..", "test-results");
const env = suite();
mkdirSync(RESULTS, { recursive: true });

async function saved(page) {
  await page.locator(".status-line", { hasText: "Lagret på denne telefonen" }).waitFor();
}

async function addContact(page, name, relation, phone) {
  const form = page.locator(".add-contact");
  await form.getByLabel("Navn").fill(name);
  await form.getByLabel("Hvem er det?").fill(relation);
  await form.getByLabel("Telefonnummer").fill(phone);
  await form.getByRole("button", { name: "Legg til kontakt" }).click();
  // "Lagret" where the finger is, and the fields empty for the next one.
  await form.locator(".saved-here", { hasText: "Lagret" }).waitFor();
}

/** The plan as the user sees it: section names in order, with their item texts. */
async function visiblePlan(page) {
  await planDrawn(page);
  return page.locator("section.plan-section").evaluateAll((sections) =>
    sections.map((s) => ({
      name: s.querySelector("h2").textContent,
      items: [...s.querySelectorAll(".item-text, .contact-name, .contact-relation")].map((e) => e.textContent),
      calls: [...s.querySelectorAll("a.call")].map((a) => a.getAttribute("href")),
    })),
  );
}

test("a whole plan, built and used offline, exported and imported", async () => {
  const context = await env.browser.newContext(PHONE);
  let page = await context.newPage();
  const errors = [];
  page.on("pageerror", (err) => errors.push(err.message));
  await openPlan(page, env.server.url);
  await controlledByWorker(page);
  const { url, port } = env.server;
  await env.server.stop();
  await context.setOffline(true);

  // All ten sections are there for a brand-new user, and the emptiness is said gently.
  const names = await page.locator("section.plan-section h2").allTextContents();
  assert.equal(names.length, 10);
  assert.equal(names[0], "Mine varselsignaler");
  await page.getByText("10 av 10 deler er tomme ennå").waitFor();

  await addItem(page, "Mine varselsignaler", "Jeg sover dårlig flere netter på rad");
  await saved(page);
  await addItem(page, "Mine varselsignaler", "Jeg trekker meg unna venner");
  await addItem(page, "Dette kan jeg gjøre selv", "Gå en tur langs elva");
  await addItem(page, "Dette hjelper meg / slik vil jeg bli møtt", "Snakk rolig, ikke still mange spørsmål");
  await addContact(page, "Kari", "søster", "912 34 567");
  await page.locator(".contact-name", { hasText: "Kari" }).waitFor();
  await addContact(page, "Fastlege Berg", "fastlege", "+46 70 123 45 67");
  await page.locator(".contact-name", { hasText: "Fastlege Berg" }).waitFor();
  await assertAccessible(page, "the plan with content");
  // A short plan page: each section's add form is folded away, and the table of contents
  // (folded too) leads to a section in one tap.
  assert.ok(await page.locator(".add-item-toggle:not([open])").count() >= 5, "add forms stay folded unless opened");
  await page.locator(".plan-contents summary").click();
  await page.locator(".plan-contents a", { hasText: "Dette vil jeg ikke" }).click();
  await page.waitForFunction(() => decodeURIComponent(location.hash).startsWith("#section-"));

  // Bad input: a number that is not one, and an item that is too long. Nothing is lost.
  const form = page.locator(".add-contact");
  await form.getByLabel("Navn").fill("Ola");
  await form.getByLabel("Telefonnummer").fill("12ab");
  await form.getByRole("button", { name: "Legg til kontakt" }).click();
  await form.getByText("Ugyldig telefonnummer").waitFor();
  assert.equal(await form.getByLabel("Navn").inputValue(), "Ola", "the name stays in the field");
  assert.equal(await page.locator(".contact-name", { hasText: "Ola" }).count(), 0, "not saved");
  assert.equal(await form.locator(".saved-here", { hasText: "Lagret" }).count(), 0, "no Lagret for what was not saved");
  // Near a field's limit, the characters left are said (and announced politely).
  await form.getByLabel("Navn").fill("x".repeat(95));
  await form.getByText("5 tegn igjen").waitFor();
  await form.getByLabel("Navn").fill("Ola");
  const long = "x".repeat(1001);
  const triggers = section(page, "Dette kan trigge meg");
  await (await newItemField(triggers)).fill(long);
  await triggers.getByRole("button", { name: "Legg til", exact: true }).click();
  await triggers.getByText("For langt: 1001 tegn, høyst 1000 er lov").waitFor();
  assert.equal(await triggers.getByLabel("Nytt punkt").inputValue(), long, "the text stays in the field");
  // Near the limit the characters left are counted down, politely; far from it, nothing.
  const newField = await newItemField(triggers);
  const counter = page.locator(`#${await newField.getAttribute("id")}-count`);
  assert.equal(await counter.getAttribute("aria-live"), "polite");
  await newField.fill("y".repeat(700));
  assert.equal(await counter.textContent(), "", "no count far from the limit");
  await newField.fill("y".repeat(988));
  await counter.getByText("12 tegn igjen").waitFor();
  await newField.fill("y".repeat(999));
  await counter.getByText("1 tegn igjen").waitFor();
  await assertAccessible(page, "a field near its limit");
  await newField.fill("");
  assert.equal(await counter.textContent(), "");

  // Reload, and close and reopen: everything is there.
  const built = await visiblePlan(page);
  await page.reload();
  await hydrated(page);
  assert.deepEqual(await visiblePlan(page), built);
  await page.close();
  page = await context.newPage();
  await openPlan(page, url);
  assert.deepEqual(await visiblePlan(page), built);
  assert.deepEqual(built.find((s) => s.name === "Kontakter").calls, ["tel:+4791234567", "tel:+46701234567"]);

  // Reorder items: the second warning sign moves up.
  const warnings = section(page, "Mine varselsignaler");
  await warnings.locator(".item").nth(1).locator("details.tools > summary").first().click();
  await warnings.locator(".item").nth(1).getByRole("button", { name: "Flytt opp" }).click();
  await page.waitForFunction(() =>
    document.querySelector("section.plan-section .item-text")?.textContent === "Jeg trekker meg unna venner");

  // Rename, move and hide sections.
  const practical = section(page, "Praktiske ting");
  await practical.locator("details.tools > summary").first().click();
  await practical.getByLabel("Navn på delen").fill("Praktisk: katten og nøklene");
  await practical.getByRole("button", { name: "Gi nytt navn" }).click();
  await section(page, "Praktisk: katten og nøklene").waitFor();
  const triggersTools = section(page, "Dette kan trigge meg");
  await triggersTools.locator("details.tools > summary").last().click();
  await triggersTools.getByRole("button", { name: "Flytt opp" }).last().click();
  await page.waitForFunction(() => document.querySelector("section.plan-section h2")?.textContent === "Dette kan trigge meg");
  const safe = section(page, "Trygge omgivelser");
  await safe.locator("details.tools > summary").last().click();
  await safe.getByRole("button", { name: "Skjul delen" }).click();
  await page.getByRole("heading", { name: "Skjulte deler" }).waitFor();
  assert.equal(await section(page, "Trygge omgivelser").count(), 0);
  await assertAccessible(page, "the plan with a hidden section");

  // In English, what the user wrote keeps its own language for a screen reader's voice:
  // the items, the contacts and a section name of their own; the app's own names do not.
  await page.getByRole("button", { name: "English" }).click();
  await headingIs(page, "My plan");
  assert.equal(await page.locator(".item-text").first().getAttribute("lang"), "nb");
  assert.equal(await page.locator(".contact-name").first().getAttribute("lang"), "nb");
  assert.equal(await page.getByRole("heading", { level: 2, name: "Praktisk: katten og nøklene" }).getAttribute("lang"), "nb");
  assert.equal(await page.getByRole("heading", { level: 2, name: "My warning signs" }).getAttribute("lang"), null);
  await assertAccessible(page, "the plan in English");
  await page.getByRole("button", { name: "Norsk" }).click();
  await headingIs(page, "Min plan");
  assert.equal(await page.locator(".item-text").first().getAttribute("lang"), null, "no lang needed on a Norwegian page");

  // Delete an item, then undo.
  const walk = section(page, "Dette kan jeg gjøre selv").locator(".item").first();
  await walk.locator("details.tools > summary").first().click();
  await walk.getByRole("button", { name: "Slett" }).click();
  // Undo where the finger is: a bar just above the menu says what went, and has the focus.
  const bar = page.locator(".undo-bar");
  await bar.getByText("Slettet: «Gå en tur langs elva»").waitFor();
  // The focus moves on the next frame: wait for it (up to 5 s), then say where it is.
  await page.waitForFunction(() => document.activeElement?.textContent === "Angre", null, { timeout: 5000 }).catch(() => {});
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Angre", "the undo button has the focus");
  const [barBox, menuBox] = [await bar.boundingBox(), await page.locator("nav.main-nav").boundingBox()];
  assert.ok(barBox.y + barBox.height <= menuBox.y && barBox.y > menuBox.y - 200, `the undo bar sits just above the menu (${barBox.y}+${barBox.height} vs ${menuBox.y})`);
  await assertAccessible(page, "the undo bar");
  await bar.getByRole("button", { name: "Angre" }).click();
  await section(page, "Dette kan jeg gjøre selv").locator(".item-text", { hasText: "Gå en tur langs elva" }).waitFor();
  await bar.getByText("Gjenopprettet.").waitFor();

  // Deleting a contact asks first; "Nei, behold" keeps it, "Ja, slett" deletes it (with undo).
  const kari = page.locator("li.contact", { has: page.locator(".contact-name", { hasText: "Kari" }) });
  await kari.locator("details.tools > summary").click();
  await kari.getByRole("button", { name: "Slett" }).click();
  await kari.getByText("Slette Kari fra kontaktene dine?").waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent === "Nei, behold", null, { timeout: 5000 }).catch(() => {});
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Nei, behold", "the safe answer has the focus");
  await kari.getByRole("button", { name: "Nei, behold" }).click();
  assert.equal(await kari.count(), 1, "kept");
  await kari.getByRole("button", { name: "Slett" }).click();
  await kari.getByRole("button", { name: "Ja, slett" }).click();
  await bar.getByText("Slettet: «Kari»").waitFor();
  await bar.getByRole("button", { name: "Angre" }).click();
  await page.locator(".contact-name", { hasText: "Kari" }).waitFor();

  // Edit an item, then restore the earlier version from its history. "Lagret" appears
  // beside the button that saved, announced, without moving anything under the finger.
  const item = section(page, "Dette kan jeg gjøre selv").locator(".item").first();
  await item.locator("details.tools > summary").first().click();
  await item.getByLabel("Tekst").fill("Ringe Kari");
  const saveButton = item.getByRole("button", { name: "Lagre" });
  const before = await saveButton.boundingBox();
  await saveButton.click();
  await item.locator(".item-text", { hasText: "Ringe Kari" }).waitFor();
  const savedHere = item.locator(".saved-here");
  await savedHere.getByText("Lagret", { exact: true }).waitFor();
  assert.equal(await savedHere.getAttribute("role"), "status");
  assert.deepEqual(await saveButton.boundingBox(), before, "the button did not move");
  const [buttonBox, savedBox] = [await saveButton.boundingBox(), await savedHere.boundingBox()];
  assert.ok(Math.abs(savedBox.y + savedBox.height / 2 - (buttonBox.y + buttonBox.height / 2)) < 10, "beside the button");
  await item.screenshot({ path: join(RESULTS, "plan-saved-here.png") });
  await item.getByLabel("Tekst").fill("Ringe Kari!");
  assert.equal(await savedHere.textContent(), "", "gone once the text changes again");
  await item.getByLabel("Tekst").fill("Ringe Kari");
  await item.locator("details.history > summary").click();
  await item.locator(".history-list li", { hasText: "Gå en tur langs elva" }).first().getByRole("button", { name: "Gjenopprett" }).click();
  await item.locator(".item-text", { hasText: "Gå en tur langs elva" }).waitFor();
  // The open editor follows the restored text (it held the replaced one).
  await item.getByLabel("Tekst").evaluate((field) => new Promise((done, fail) => {
    const started = Date.now();
    const check = () => field.value === "Gå en tur langs elva" ? done() : Date.now() - started > 5000 ? fail(new Error(`the editor holds ${field.value}`)) : setTimeout(check, 50);
    check();
  }));
  await assertAccessible(page, "an item's tools and history open");

  // The crisis screen: my steps, my contacts, how to meet me, then the emergency numbers.
  await page.getByRole("link", { name: "Krise – få hjelp" }).click();
  await headingIs(page, "Trenger du hjelp nå?");
  await page.locator(".crisis-self-help").getByText("Gå en tur langs elva").waitFor();
  const order = await page.locator(".crisis h2").allTextContents();
  // The emergency numbers first (their heading is for screen readers), then the user's own.
  assert.deepEqual(order, ["Nødnumre og hjelpetelefoner", "Dette kan jeg gjøre selv", "Mine kontakter", "Slik vil jeg bli møtt"]);
  const crisisLinks = await page.locator(".crisis-contacts a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.deepEqual(crisisLinks, ["tel:+4791234567", "sms:+4791234567", "tel:+46701234567", "sms:+46701234567"]);
  assert.equal(await page.locator("a.call-link").count(), 4);
  await assertAccessible(page, "the crisis screen with the user's plan");

  // Print: a clean plan, produced as a PDF and a print-emulated screenshot.
  await page.goto(url + "/");
  await hydrated(page);
  await section(page, "Mine varselsignaler").locator(".item").first().waitFor();
  await page.emulateMedia({ media: "print" });
  await page.screenshot({ path: join(RESULTS, "plan-print.png"), fullPage: true });
  await page.pdf({ path: join(RESULTS, "plan.pdf"), format: "A4" });
  assert.equal(await page.locator("nav.main-nav").isVisible(), false, "no navigation on paper");
  assert.ok(await page.locator(".printed-numbers").isVisible(), "the emergency numbers are on paper");
  assert.match(await page.locator(".printed-numbers").textContent(), /113.*116 117/s);
  await page.emulateMedia({ media: "screen" });

  // Export.
  const finalPlan = await visiblePlan(page);
  await page.goto(url + "/innstillinger");
  await hydrated(page);
  await page.locator(".storage-state", { hasText: /beskyttet/ }).waitFor();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Last ned planen og hjulet som fil" }).click(),
  ]);
  const exported = join(RESULTS, "plan-export.json");
  await download.saveAs(exported);
  const file = JSON.parse(readFileSync(exported, "utf8"));
  assert.equal(file.format, "tillit-export");
  await assertAccessible(page, "settings");
  assert.deepEqual(errors, []);
  await context.close();

  // Import into a fresh profile: one online visit, then offline again.
  env.server = await startServer({ ...env.ws, port });
  const fresh = await env.browser.newContext(PHONE);
  const other = await fresh.newPage();
  await openPlan(other, url);
  await controlledByWorker(other);
  await env.server.stop();
  await fresh.setOffline(true);
  await other.goto(url + "/innstillinger");
  await hydrated(other);

  // Broken and foreign files are refused with a message and change nothing.
  await other.setInputFiles("#import-file", { name: "broken.json", mimeType: "application/json", buffer: Buffer.from("{ not json") });
  await other.getByText("Filen kunne ikke leses. Ingenting er endret.").waitFor();
  await other.setInputFiles("#import-file", { name: "other.json", mimeType: "application/json", buffer: Buffer.from('{"format":"something-else","version":1,"records":[]}') });
  await other.getByText("Dette er ikke en eksport fra Tillit").waitFor();
  const future = { ...file, version: 99 };
  await other.setInputFiles("#import-file", { name: "future.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(future)) });
  await other.getByText("laget av en nyere versjon").waitFor();

  await other.setInputFiles("#import-file", exported);
  await other.getByText(/Lest inn: \d+ endringer/).waitFor();
  await other.setInputFiles("#import-file", exported);
  await other.getByText("Filen inneholdt ikke noe nytt").waitFor();
  await other.goto(url + "/");
  await hydrated(other);
  await section(other, "Mine varselsignaler").locator(".item").first().waitFor();
  assert.deepEqual(await visiblePlan(other), finalPlan, "the imported plan is the same plan");
  await fresh.close();
});

// The tools of a section fill their name field with the name as shown when they open. The
// browser says they opened (`toggle`) a moment after the fact: a name typed before that, in
// a field already there, was overwritten with the old name, and the rename saved the old
// name (seen on a busy machine). Here the typing comes in the same moment the field exists.
test("a section's new name typed the moment its tools open is the name saved", async () => {
  env.server = await startServer(env.ws);
  const context = await env.browser.newContext(PHONE);
  const page = await context.newPage();
  await openPlan(page, env.server.url);
  const practical = section(page, "Praktiske ting");
  const typed = await practical.evaluate(async (card) => {
    const field = () => card.querySelector('details.tools input[id^="rename-"]');
    const type = (input) => {
      input.value = "Praktisk: nøklene";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    };
    card.querySelector("details.tools > summary").click();
    if (field()) {
      type(field());
    } else {
      await new Promise((done) => new MutationObserver((_, observer) => {
        if (field()) {
          observer.disconnect();
          type(field());
          done();
        }
      }).observe(card, { subtree: true, childList: true }));
    }
    await new Promise((later) => setTimeout(later, 300));
    return field().value;
  });
  assert.equal(typed, "Praktisk: nøklene", "what was typed is still in the field");
  await practical.getByRole("button", { name: "Gi nytt navn" }).click();
  await section(page, "Praktisk: nøklene").waitFor();
  await context.close();
});
