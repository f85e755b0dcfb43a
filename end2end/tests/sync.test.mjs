// Two phones on one account, and sharing with a trusted person, against the real server.
//
// Devices are browser contexts (each its own IndexedDB, cookies and service worker). Offline
// is real: the server process is stopped and the contexts are set offline; it comes back
// on the same port and data directory.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { PHONE, startServer, hydrated, controlledByWorker, headingIs, assertAccessible, suite, planSection as section, addItem, planDrawn, openPlan } from "./harness.mjs";

const env = suite();
const PASS = "en lang og god passordfrase";

async function editItem(page, from, to) {
  const item = page.locator("li.item", { has: page.locator(".item-text", { hasText: from }) });
  await item.locator("summary").first().click();
  await item.getByLabel("Tekst").fill(to);
  await item.getByRole("button", { name: "Lagre" }).click();
  await page.locator(".item-text", { hasText: to }).waitFor();
}

const status = (page) => page.locator("p.sync-status");

async function statusIs(page, text, timeout = 20_000) {
  await page.locator("p.sync-status", { hasText: text }).waitFor({ timeout });
}

/**
 * Signs in on this device (creating the account if asked) from Innstillinger. `keep`: the
 * phone holds a plan never tied to an account, and the user keeps it for this one.
 */
async function signIn(page, url, username, { create = false, sync = true, keep = false } = {}) {
  await page.goto(url + "/innstillinger");
  await hydrated(page);
  await page.getByLabel("Brukernavn eller e-post").fill(username);
  await page.getByLabel("Passordfrase", { exact: true }).fill(PASS);
  await page.getByRole("button", { name: create ? "Opprett konto" : "Logg inn" }).click();
  await page.getByText("Logget inn som").waitFor();
  if (keep) await page.getByRole("button", { name: "Behold det for denne kontoen" }).click();
  if (sync) {
    await page.getByRole("button", { name: "Slå på sikkerhetskopi og synkronisering" }).click();
    await statusIs(page, "Sikkerhetskopiert");
  }
}

async function items(page, sectionName) {
  await planDrawn(page);
  return section(page, sectionName).locator(".item-text").allTextContents();
}

test("two phones on one account edit offline, come back and converge; the conflict is shown", async () => {
  const a = await (await env.browser.newContext(PHONE)).newPage();
  const b = await (await env.browser.newContext(PHONE)).newPage();
  const errors = [];
  for (const p of [a, b]) p.on("pageerror", (err) => errors.push(err.message));
  const { url, port } = env.server;

  // Phone A has a plan before there is any account: signing in sends all of it.
  await openPlan(a, url);
  await addItem(a, "Mine varselsignaler", "Sover dårlig");
  await addItem(a, "Mine varselsignaler", "Trekker meg unna");
  await statusIs(a, "Lagret på denne telefonen");
  await signIn(a, url, "ada.sync", { create: true, keep: true });

  // Phone B signs in to the same account and gets the plan.
  await signIn(b, url, "ada.sync");
  await openPlan(b, url);
  await section(b, "Mine varselsignaler").locator(".item-text", { hasText: "Trekker meg unna" }).waitFor();
  assert.deepEqual(await items(b, "Mine varselsignaler"), ["Sover dårlig", "Trekker meg unna"]);
  await openPlan(a, url);
  await controlledByWorker(a);
  await controlledByWorker(b);

  // Both go offline for real; the server is gone.
  await env.server.stop();
  await a.context().setOffline(true);
  await b.context().setOffline(true);

  await editItem(a, "Sover dårlig", "Sover dårlig (A)");
  await addItem(a, "Mine varselsignaler", "Bare fra A");
  await statusIs(a, "Venter på nett");
  await editItem(b, "Sover dårlig", "Sover dårlig (B)");
  await addItem(b, "Dette kan trigge meg", "Bare fra B");
  await statusIs(b, "Venter på nett");

  // The network comes back: A first, then B, then A again.
  env.server = await startServer({ ...env.ws, port });
  await a.context().setOffline(false);
  await statusIs(a, "Sikkerhetskopiert", 30_000);
  await b.context().setOffline(false);
  await statusIs(b, "Sikkerhetskopiert", 30_000);
  await section(b, "Mine varselsignaler").locator(".item-text", { hasText: "Bare fra A" }).waitFor();
  await a.reload();
  await hydrated(a);
  await section(a, "Dette kan trigge meg").locator(".item-text", { hasText: "Bare fra B" }).waitFor();

  // Nothing lost, the same on both: the later edit (B's) is in force.
  for (const page of [a, b]) {
    await section(page, "Mine varselsignaler").locator(".item-text", { hasText: "Sover dårlig (B)" }).waitFor();
    assert.deepEqual(await items(page, "Mine varselsignaler"), ["Sover dårlig (B)", "Trekker meg unna", "Bare fra A"]);
    assert.deepEqual(await items(page, "Dette kan trigge meg"), ["Bare fra B"]);
  }

  // Both phones are told, on the plan page: where, both texts, and which phone wrote each.
  // A's edit lost; A learned of it when B's arrived over it.
  const lost = a.locator("li.conflict");
  await lost.waitFor();
  assert.match(await a.locator("section.conflicts h2").textContent(), /Endret på to telefoner/);
  assert.equal(await lost.locator(".conflict-place").textContent(), "I «Mine varselsignaler»");
  assert.equal(await lost.locator(".conflict-current").textContent(), "Sover dårlig (B)");
  assert.equal(await lost.locator(".conflict-other").textContent(), "Sover dårlig (A)");
  const [aNow, aThen] = await lost.locator(".conflict-source").allTextContents();
  assert.match(aNow, /^Skrevet på en annen telefon \d\d\.\d\d\.\d{4} \d\d:\d\d$/);
  assert.match(aThen, /^Skrevet på denne telefonen \d\d\.\d\d\.\d{4}/);
  await assertAccessible(a, "the conflict on the phone whose edit lost");
  // B learned that A changed the same item: both versions are shown, and B picks A's.
  const conflict = b.locator("li.conflict");
  await conflict.waitFor();
  assert.match(await b.locator("section.conflicts h2").textContent(), /Endret på to telefoner/);
  assert.equal(await conflict.locator(".conflict-place").textContent(), "I «Mine varselsignaler»");
  assert.equal(await conflict.locator(".conflict-current").textContent(), "Sover dårlig (B)");
  assert.equal(await conflict.locator(".conflict-other").textContent(), "Sover dårlig (A)");
  const [bNow, bThen] = await conflict.locator(".conflict-source").allTextContents();
  assert.match(bNow, /^Skrevet på denne telefonen \d/);
  assert.match(bThen, /^Skrevet på en annen telefon \d/);
  await assertAccessible(b, "the conflict list");
  // In English the same, and the user's own words keep their language for screen readers.
  await b.getByRole("button", { name: "English" }).click();
  assert.equal(await conflict.locator(".conflict-place").textContent(), "In “My warning signs”");
  assert.match(await conflict.locator(".conflict-source").first().textContent(), /^Written on this phone \d/);
  assert.equal(await conflict.locator(".conflict-current").getAttribute("lang"), "nb");
  if (process.env.TILLIT_SCREENSHOTS) await b.screenshot({ path: `${process.env.TILLIT_SCREENSHOTS}/conflict-en-360.png` });
  await assertAccessible(b, "the conflict list in English");
  await b.locator("button.lang-switch").click();
  await b.getByRole("heading", { name: "Min plan" }).waitFor();
  await conflict.getByRole("button", { name: "Bruk den andre" }).click();
  await section(b, "Mine varselsignaler").locator(".item-text", { hasText: "Sover dårlig (A)" }).waitFor();
  assert.equal(await b.locator("li.conflict").count(), 0, "the conflict is settled");
  await statusIs(b, "Sikkerhetskopiert");
  await b.reload();
  await hydrated(b);
  assert.equal(await b.locator("li.conflict").count(), 0, "settled for good");

  // A gets B's choice at its next sync (here: opening the app again); settled there, the
  // conflict asks A nothing more.
  await a.reload();
  await hydrated(a);
  await section(a, "Mine varselsignaler").locator(".item-text", { hasText: "Sover dårlig (A)" }).waitFor();
  await statusIs(a, "Sikkerhetskopiert");
  assert.equal(await a.locator("li.conflict").count(), 0, "settled on the other phone");
  assert.deepEqual(errors, [], "no page errors");
});

test("A shares Mine varselsignaler with C until a date; C sees exactly that, also offline; A takes it back; A sees C's reads", async () => {
  const a = await (await env.browser.newContext(PHONE)).newPage();
  const cContext = await env.browser.newContext(PHONE);
  const c = await cContext.newPage();
  const errors = [];
  for (const p of [a, c]) p.on("pageerror", (err) => errors.push(err.message));
  const { url } = env.server;

  await signIn(a, url, "astrid.share", { create: true });
  await openPlan(a, url);
  await addItem(a, "Mine varselsignaler", "Jeg slutter å svare på meldinger");
  await addItem(a, "Dette kan trigge meg", "Dette skal ingen andre se");
  await statusIs(a, "Sikkerhetskopiert");

  // C has an account of their own; backup is not needed to receive.
  await signIn(c, url, "carl.trusted", { create: true, sync: false });

  // A shares one section until a date and gets a code to pass on.
  await a.goto(url + "/deling");
  await hydrated(a);
  await a.getByLabel("Hva vil du dele?").selectOption({ label: "Mine varselsignaler" });
  const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await a.getByLabel("Til og med dato (valgfritt)").fill(until);
  await a.getByRole("button", { name: "Del", exact: true }).click();
  // Nothing is shared before the preview is confirmed: exactly what C will see, and what
  // sharing means (later edits, until when, a copy on their phone, who can read the server).
  const preview = a.locator("section.share-preview");
  await preview.waitFor();
  // The preview's lines are worked out after it opens (a lazily loaded step): wait for them.
  await preview.locator(".shared-items li").first().waitFor();
  assert.deepEqual(await preview.locator(".shared-items li").allTextContents(), ["Jeg slutter å svare på meldinger"]);
  await preview.getByText("Endringer du gjør senere").waitFor();
  await preview.getByText("ikke ende-til-ende-kryptert").waitFor();
  await preview.getByText("får en kopi på telefonen sin").waitFor();
  await assertAccessible(a, "the share preview");
  await preview.getByRole("button", { name: "Avbryt" }).click();
  assert.equal(await a.locator("li.share").count(), 0, "cancelled: nothing shared");
  await a.getByRole("button", { name: "Del", exact: true }).click();
  await a.getByRole("button", { name: "Ja, del dette" }).click();
  const code = (await a.locator(".share-code").textContent()).trim();
  assert.match(code, /^[A-Z0-9]{5}-[A-Z0-9]{5}$/);
  await a.locator("li.share", { hasText: "venter på at koden blir brukt" }).waitFor();

  // The invitation link fills in the code; a wrong code is refused plainly; the right one
  // (typed in lower case) works.
  await c.goto(url + "/deling?kode=" + code);
  await hydrated(c);
  await c.waitForFunction((expected) => document.querySelector("#share-code")?.value === expected, code);
  await c.getByLabel("Koden").fill("AAAAA-AAAAA");
  await c.getByRole("button", { name: "Bruk koden" }).click();
  await c.getByText("Koden finnes ikke, er brukt eller er for gammel").waitFor();
  await c.getByLabel("Koden").fill(code.toLowerCase());
  await c.getByRole("button", { name: "Bruk koden" }).click();
  await c.getByText("Nå ser du det astrid.share deler med deg").waitFor();

  // C sees exactly that section, read-only.
  await c.goto(url + "/delt-med-meg");
  await hydrated(c);
  const bundle = c.locator("section.shared-bundle");
  await bundle.waitFor();
  assert.equal(await bundle.count(), 1);
  assert.match(await bundle.locator("h2").textContent(), /astrid\.share deler: Mine varselsignaler/);
  assert.deepEqual(await bundle.locator(".shared-items li").allTextContents(), ["Jeg slutter å svare på meldinger"]);
  assert.equal(await c.getByText("Dette skal ingen andre se").count(), 0, "nothing else is shown");
  assert.equal(await c.locator("section.shared-bundle input, section.shared-bundle button, section.shared-bundle textarea").count(), 0, "read-only");
  await assertAccessible(c, "Delt med meg");

  // Offline, C still has the copy.
  await controlledByWorker(c);
  await cContext.setOffline(true);
  await c.reload();
  await hydrated(c);
  await c.locator(".shared-items li", { hasText: "Jeg slutter å svare på meldinger" }).waitFor();
  await c.getByText("Uten nett: du ser kopien").waitFor();
  await cContext.setOffline(false);

  // A sees the share as live, C's reads in Hvem har sett hva, and the consent log.
  await a.goto(url + "/deling");
  await hydrated(a);
  const live = a.locator("li.share", { hasText: "carl.trusted" });
  await live.waitFor();
  assert.match(await live.textContent(), /delt nå/);
  assert.match(await live.textContent(), /til og med/);
  await a.locator(".access-log li", { hasText: /carl\.trusted så «Mine varselsignaler» \(\d+ ting\)/ }).first().waitFor();
  await a.locator(".consent-log li", { hasText: "carl.trusted tok imot delingen" }).waitFor();
  await assertAccessible(a, "Deling with shares and logs");

  // A takes it back; at C's next sync the copy is gone, even offline afterwards.
  await live.getByRole("button", { name: "Trekk tilbake" }).click();
  await a.locator("li.share", { hasText: "trukket tilbake" }).waitFor();
  await a.locator(".consent-log li", { hasText: "Du trakk tilbake delingen" }).waitFor();
  await c.goto(url + "/");
  await hydrated(c);
  await c.goto(url + "/delt-med-meg");
  await hydrated(c);
  await c.getByText("Ingen deler noe med deg nå.").waitFor();
  await cContext.setOffline(true);
  await c.reload();
  await hydrated(c);
  await c.getByText("Ingen deler noe med deg nå.").waitFor();
  assert.equal(await c.getByText("Jeg slutter å svare på meldinger").count(), 0, "the cached copy is deleted");
  await cContext.setOffline(false);
  assert.deepEqual(errors, [], "no page errors");
});

test("an invitation link opened without an account: the code is kept through sign-up, and the person lands on what is shared", async () => {
  const a = await (await env.browser.newContext(PHONE)).newPage();
  const dContext = await env.browser.newContext({ ...PHONE, permissions: ["clipboard-read", "clipboard-write"] });
  const d = await dContext.newPage();
  const { url } = env.server;
  await signIn(a, url, "astrid.invites", { create: true });
  await openPlan(a, url);
  await addItem(a, "Mine varselsignaler", "Jeg sover dårlig flere netter på rad");
  await statusIs(a, "Sikkerhetskopiert");
  await a.goto(url + "/deling");
  await hydrated(a);
  await a.getByLabel("Hva vil du dele?").selectOption({ label: "Mine varselsignaler" });
  await a.getByRole("button", { name: "Del", exact: true }).click();
  await a.getByRole("button", { name: "Ja, del dette" }).click();
  const code = (await a.locator(".share-code").textContent()).trim();
  // The link can be sent from the phone's share sheet, or copied where there is none.
  await a.getByRole("button", { name: "Send lenken" }).click();
  await a.locator(".share-created [role=status]", { hasText: /Sendt|Ikke sendt|kopiert|Kopier lenken/ }).waitFor();

  // The link carries A's name in its fragment (never sent to the server).
  const link = (await a.locator(".share-link code").textContent()).trim();
  assert.equal(link, url + "/deling?kode=" + code + "#fra=astrid.invites");

  // A name in a link is only text, whatever it holds; a link with none says "Noen".
  await d.goto(url + "/deling?kode=" + code + "#fra=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E");
  await hydrated(d);
  await d.getByRole("heading", { name: "«<img src=x onerror=alert(1)>» vil dele noe med deg" }).waitFor();
  assert.equal(await d.locator("main img").count(), 0, "no markup from the link");
  await d.goto("about:blank");
  await d.goto(url + "/deling?kode=" + code);
  await hydrated(d);
  await d.getByRole("heading", { name: "Noen vil dele noe med deg" }).waitFor();

  // D has no account yet and opens the link A sent.
  await d.goto("about:blank");
  await d.goto(link);
  await hydrated(d);
  await d.getByRole("heading", { name: "«astrid.invites» vil dele noe med deg" }).waitFor();
  await d.getByText("Navnet står i lenken du fikk").waitFor();
  await assertAccessible(d, "an invitation without an account");
  await d.getByRole("link", { name: "Lag konto eller logg inn" }).click();
  await hydrated(d);
  await d.getByLabel("Brukernavn eller e-post").fill("dina.invited");
  await d.getByLabel("Passordfrase", { exact: true }).fill(PASS);
  await d.getByRole("button", { name: "Opprett konto" }).click();
  // Straight to what is shared, with no code to type.
  await d.waitForURL(url + "/delt-med-meg");
  await hydrated(d);
  await d.locator(".shared-items li", { hasText: "Jeg sover dårlig flere netter på rad" }).waitFor();
  // The code was used once and is not kept.
  assert.equal(await d.evaluate(() => localStorage.getItem("tillit.invitation")), null);

  // A link with "godta" that this phone did not keep (made by someone else) accepts nothing
  // on its own: the code is filled in, and the person decides.
  await a.goto(url + "/deling");
  await hydrated(a);
  await a.getByLabel("Hva vil du dele?").selectOption({ label: "Mine varselsignaler" });
  await a.getByRole("button", { name: "Del", exact: true }).click();
  await a.getByRole("button", { name: "Ja, del dette" }).click();
  const second = (await a.locator(".share-code").textContent()).trim();
  await d.goto(url + "/deling?kode=" + second + "&godta=1#fra=astrid.invites");
  await hydrated(d);
  await d.waitForFunction((expected) => document.querySelector("#share-code")?.value === expected, second);
  // Signed in, the name from the link is said above the code too.
  await d.locator(".invited-by", { hasText: "«astrid.invites» vil dele noe med deg" }).waitFor();
  await d.waitForTimeout(1500);
  assert.equal(new URL(d.url()).pathname, "/deling", "still on Deling");
  assert.equal(await d.getByText("Nå ser du det astrid.invites deler med deg").count(), 0, "nothing accepted without a tap");
  await dContext.close();
});

test("one form logs in and signs up: the right autocomplete for each, and advice against a name that tells who uses Tillit", async () => {
  const page = await (await env.browser.newContext(PHONE)).newPage();
  const { url } = env.server;
  await page.goto(url + "/innstillinger");
  await hydrated(page);
  const pass = page.getByLabel("Passordfrase", { exact: true });
  assert.equal(await pass.getAttribute("autocomplete"), "current-password", "logging in: the saved passphrase");
  await page.getByLabel("Brukernavn eller e-post").fill("Kari Nordmann");
  await pass.fill(PASS);
  await page.getByRole("button", { name: "Opprett konto" }).click();
  // A full name: nothing is created yet; the form is a sign-up form and says why.
  const name = page.getByLabel("Brukernavn", { exact: true });
  await page.getByText("Ikke bruk e-postadressen eller det fulle navnet ditt").waitFor();
  assert.equal(await pass.getAttribute("autocomplete"), "new-password", "signing up: a new passphrase");
  assert.equal(await name.getAttribute("aria-describedby"), "username-advice");
  await page.waitForFunction(() => document.activeElement?.id === "account-username");
  assert.equal(await page.getByText("Logget inn som").count(), 0, "no account yet");
  await assertAccessible(page, "the sign-up form with its advice");
  if (process.env.TILLIT_SCREENSHOTS) await page.locator("form.account-form").screenshot({ path: `${process.env.TILLIT_SCREENSHOTS}/signup-360.png` });
  await page.getByRole("button", { name: "English" }).click();
  await page.getByText("Do not use your e-mail address or your full name").waitFor();
  await page.getByLabel("Username", { exact: true }).waitFor();
  await page.getByRole("button", { name: "I already have an account" }).waitFor();
  await assertAccessible(page, "the sign-up form in English");
  await page.getByRole("button", { name: "Norsk" }).click();
  // Back to logging in, and then signing up under a nickname.
  await page.getByRole("button", { name: "Jeg har allerede en konto" }).click();
  assert.equal(await pass.getAttribute("autocomplete"), "current-password");
  await page.getByRole("button", { name: "Opprett konto" }).click();
  await name.fill("stille.fjell");
  await page.getByRole("button", { name: "Opprett konto" }).click();
  await page.getByText("Logget inn som").waitFor();
  await page.context().close();
});

test("a full backup: the status line says what it means, that everything is still on the phone, and what to do", async () => {
  // A server of its own, with the smallest quota there can be (1 MiB).
  const before = process.env.TILLIT_QUOTA_MIB;
  process.env.TILLIT_QUOTA_MIB = "1";
  mkdirSync(env.ws.data + "-quota", { recursive: true });
  const server = await startServer({ site: env.ws.site, data: env.ws.data + "-quota" });
  if (before === undefined) delete process.env.TILLIT_QUOTA_MIB;
  else process.env.TILLIT_QUOTA_MIB = before;
  const context = await env.browser.newContext(PHONE);
  try {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (err) => errors.push(err.message));
    await signIn(page, server.url, "frida.full", { create: true });

    // Another phone of Frida's has filled the backup to the brim (through the API).
    let wall = Date.now() - 86_400_000;
    let since = 0;
    const record = "0190a000-0000-7000-8000-00000000f011";
    const sectionId = "0190a000-0000-7000-8000-00000000f0aa";
    const push = async (count, text) => {
      const changes = Array.from({ length: count }, () => ({
        id: record,
        kind: "plan.item",
        version: { hlc: { wall_ms: ++wall, counter: 0, device: "other" }, deleted: false, schema: 1, body: { section: sectionId, text, position: 1024 } },
      }));
      const res = await page.request.post(server.url + "/api/v1/sync", { data: { device: "other", since, changes } });
      if (res.status() === 200) since = (await res.json()).cursor;
      else if (res.status() !== 413) assert.fail(`push: ${res.status()} ${await res.text()}`);
      return res.status();
    };
    const big = "ø".repeat(1000);
    for (const [count, text] of [[100, big], [10, big], [1, big], [1, "x"]]) {
      while ((await push(count, text)) === 200);
    }

    // This phone writes something: it is saved here, and the status line says plainly why
    // it is not backed up, in words (not the server's).
    await openPlan(page, server.url);
    await addItem(page, "Mine varselsignaler", "Dette blir på telefonen selv om sikkerhetskopien er full");
    await statusIs(page, "Sikkerhetskopien din på tjeneren er full");
    const line = await status(page).textContent();
    assert.match(line, /Alt er fortsatt lagret på denne telefonen/);
    assert.match(line, /Ta en eksport under Innstillinger/);
    assert.doesNotMatch(line, /MiB|quota|backup is full/, "not the server's raw text");
    await status(page).getByRole("link", { name: "Hva gjør jeg?" }).waitFor();
    await assertAccessible(page, "a full backup");
    await page.evaluate(() => window.scrollTo(0, 0));
    if (process.env.TILLIT_SCREENSHOTS) await page.screenshot({ path: `${process.env.TILLIT_SCREENSHOTS}/quota-360.png` });
    await page.getByRole("button", { name: "English" }).click();
    await statusIs(page, "Your backup on the server is full");
    assert.match(await status(page).textContent(), /Everything is still saved on this phone/);
    await page.getByRole("button", { name: "Norsk" }).click();
    await page.reload();
    await hydrated(page);
    await section(page, "Mine varselsignaler").locator(".item-text", { hasText: "Dette blir på telefonen" }).waitFor();
    assert.deepEqual(errors, [], "no page errors");
  } finally {
    await context.close();
    await server.stop();
  }
});
