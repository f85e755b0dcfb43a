// Check-ins with a trusted person, three phones against the real server: Kari (the user),
// Ola and Per (people she trusts). Kari's phone is really offline (the context is set
// offline; the service worker leaves /api/ alone, so nothing reaches the server) while Ola
// writes; she comes back, sees it, answers with one tap; the states reach Ola. Offline
// again, she taps "Kontakt meg": the crisis screen at once; the request goes when she is
// back; Ola says "Jeg tar kontakt"; Kari sees who. Then pause and remove; English; axe.

import { test } from "node:test";
import assert from "node:assert/strict";
import { PHONE, hydrated, controlledByWorker, assertAccessible, suite } from "./harness.mjs";

const env = suite();
const PASS = "en lang og god passordfrase";

async function signUp(page, username) {
  await page.goto(env.server.url + "/innstillinger");
  await hydrated(page);
  await page.getByLabel("Brukernavn eller e-post").fill(username);
  await page.getByLabel("Passordfrase", { exact: true }).fill(PASS);
  await page.getByRole("button", { name: "Opprett konto" }).click();
  await page.getByText("Logget inn som").waitFor();
}

async function openCheckins(page) {
  await page.goto(env.server.url + "/innsjekk");
  await hydrated(page);
  await page.locator("h1", { hasText: "Innsjekk" }).waitFor();
  await page.locator("section.checkin-help").waitFor();
}

const card = (page, name) => page.locator(`li.checkin-person[data-person="${name}"]`);

/** Invites `name`; the new code (a different one from `before`, the last one shown). */
async function invite(kari, name, before = "") {
  await kari.locator("#invite-name").fill(name);
  await kari.getByRole("button", { name: "Lag invitasjon" }).click();
  const code = kari.locator(".invite-code");
  await kari.waitForFunction(
    (before) => /^[A-Z0-9]{5}-[A-Z0-9]{5}$/.test(document.querySelector(".invite-code")?.textContent.trim() ?? "") &&
      document.querySelector(".invite-code").textContent.trim() !== before,
    before,
  );
  return (await code.textContent()).trim();
}

async function accept(page, code, owner) {
  await openCheckins(page);
  await page.locator("#accept-code").fill(code);
  await page.getByRole("button", { name: "Godta" }).click();
  await card(page, owner).waitFor({ timeout: 20_000 });
}

/** The conversation with `name`, opened (it marks what was unread as read). */
async function openConversation(page, name) {
  const person = card(page, name);
  const button = person.locator("button.checkin-open");
  if ((await button.getAttribute("aria-expanded")) !== "true") await button.click();
  return person.locator("ol.checkin-messages");
}

/** What the server holds for this phone's account (its own session, through the API). */
async function people(page) {
  return page.evaluate(async () => (await (await fetch("/api/v1/checkins")).json()).people);
}

test("check-ins both ways, offline, one tap, states, Kontakt meg, pause and remove", async () => {
  const contexts = await Promise.all([0, 1, 2].map(() => env.browser.newContext(PHONE)));
  const [kari, ola, per] = await Promise.all(contexts.map((c) => c.newPage()));
  const errors = [];
  for (const p of [kari, ola, per]) p.on("pageerror", (err) => errors.push(err.message));

  // The app icon's badge (Badging API): what Kari's phone is told, recorded.
  await contexts[0].addInitScript(() => {
    window.__badges = [];
    navigator.setAppBadge = (n) => (window.__badges.push(n), Promise.resolve());
    navigator.clearAppBadge = () => (window.__badges.push(0), Promise.resolve());
  });

  await signUp(kari, "kari.innsjekk");
  await signUp(ola, "ola.innsjekk");
  await signUp(per, "per.innsjekk");

  // Kari invites Ola ("Pappa") and Per, each with a one-time code; they accept.
  await openCheckins(kari);
  const pappa = await invite(kari, "Pappa");
  const perCode = await invite(kari, "Per", pappa);
  // A refusal is said in the user's language, not in the server's English, and under the
  // form that was used (at large text the page is screens long): her own code, and (on
  // Ola's phone) a code that does not exist.
  await kari.locator("#accept-code").fill(perCode);
  await kari.getByRole("button", { name: "Godta" }).click();
  await kari.locator("section.checkin-accept .checkin-notice", { hasText: "Dette er din egen invitasjon. Gi koden til personen du inviterer." }).waitFor();
  const saidAt = await kari.locator(".checkin-notice").evaluateAll((lines) => lines.filter((l) => l.textContent.trim()).length);
  assert.equal(saidAt, 1, "said once, by the form");
  await openCheckins(ola);
  await ola.locator("#accept-code").fill("AAAAA-BBBBB");
  await ola.getByRole("button", { name: "Godta" }).click();
  await ola.locator("section.checkin-accept .checkin-notice", { hasText: "Fant ikke dette. Koden kan være brukt eller utløpt" }).waitFor();
  await accept(ola, pappa, "kari.innsjekk");
  await accept(per, perCode, "kari.innsjekk");
  await openCheckins(kari);
  await card(kari, "Pappa").locator("fieldset.checkin-scale").waitFor({ timeout: 20_000 });
  await assertAccessible(kari, "the check-in page (the user)");
  await assertAccessible(ola, "the check-in page (a trusted person)");

  // Kari's phone goes offline for real; Ola sends a ready phrase in one tap from the list.
  await controlledByWorker(kari);
  await kari.context().setOffline(true);
  await card(ola, "kari.innsjekk").getByRole("button", { name: "Tenker på deg" }).click();
  const olaMessages = await openConversation(ola, "kari.innsjekk");
  await olaMessages.locator("li.mine", { hasText: "Tenker på deg" }).locator(".message-state", { hasText: "Sendt" }).waitFor({ timeout: 20_000 });

  // Offline, Kari's phone shows what it had; back online, the message arrives.
  await kari.reload();
  await hydrated(kari);
  await card(kari, "Pappa").waitFor();
  assert.equal(await card(kari, "Pappa").locator(".checkin-latest").count(), 0);
  await kari.context().setOffline(false);
  await card(kari, "Pappa").locator(".checkin-latest", { hasText: "Tenker på deg" }).waitFor({ timeout: 30_000 });
  // One unread message: the card and the app icon's badge say 1.
  await card(kari, "Pappa").locator(".checkin-unread", { hasText: "1 uleste" }).waitFor();
  await kari.waitForFunction(() => window.__badges.at(-1) === 1, null, { timeout: 10_000 });

  // One tap answers.
  await card(kari, "Pappa").getByRole("button", { name: "Bra", exact: true }).click();
  const kariMessages = await openConversation(kari, "Pappa");
  await kariMessages.locator("li.mine", { hasText: "Bra" }).locator(".message-state", { hasText: /Sendt|Levert/ }).waitFor({ timeout: 20_000 });
  // Opened, so read: the badge is cleared.
  await kari.waitForFunction(() => window.__badges.at(-1) === 0, null, { timeout: 20_000 });

  // The states reach the sender: Kari's phone fetched Ola's message (Levert) and she opened it (Lest).
  await openCheckins(ola);
  const olaAgain = await openConversation(ola, "kari.innsjekk");
  await olaAgain.locator("li.theirs", { hasText: "Svar: 🙂 Bra" }).waitFor({ timeout: 20_000 });
  await olaAgain.locator("li.mine", { hasText: "Tenker på deg" }).locator(".message-state", { hasText: "Lest" }).waitFor({ timeout: 20_000 });

  // A message arriving while Kari writes leaves her half-written text and the focus where
  // they were: the card takes the news, it is not made again.
  const draft = card(kari, "Pappa").getByLabel("Skriv en kort melding (maks 280 tegn)");
  await draft.fill("Jeg skriver fortsatt på");
  await draft.focus();
  await card(ola, "kari.innsjekk").getByRole("button", { name: "Hvordan går det i dag?" }).click();
  // Once the server has it, Kari's phone comes back to the app (a round, as on return).
  await olaAgain.locator("li.mine", { hasText: "Hvordan går det i dag?" }).locator(".message-state", { hasText: /Sendt|Levert|Lest/ }).waitFor({ timeout: 20_000 });
  await kari.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
  await kariMessages.locator("li.theirs", { hasText: "Hvordan går det i dag?" }).waitFor({ timeout: 30_000 });
  assert.equal(await draft.inputValue(), "Jeg skriver fortsatt på");
  assert.ok(await draft.evaluate((el) => el === document.activeElement), "the focus stays in the text box");
  await draft.fill("");

  // Kari gives Pappa (only him) her own number, for his call and text buttons. A typo is
  // said at the field, in her language, and nothing is sent.
  const numberForm = card(kari, "Pappa").locator("form.checkin-user-phone");
  await numberForm.getByLabel("Mitt nummer til denne personen (valgfritt)").fill("41 23 456");
  await numberForm.getByRole("button", { name: "Lagre" }).click();
  await numberForm.getByText("Ugyldig telefonnummer").waitFor();
  assert.equal(await numberForm.locator("input").getAttribute("aria-invalid"), "true");
  await numberForm.getByLabel("Mitt nummer til denne personen (valgfritt)").fill("412 34 567");
  await numberForm.getByRole("button", { name: "Lagre" }).click();
  await numberForm.locator(".saved-here", { hasText: "Lagret" }).waitFor({ timeout: 20_000 });
  const given = await people(kari);
  assert.equal(given.find((p) => p.name === "Pappa").user_phone, "+4741234567");
  assert.equal(given.find((p) => p.name === "Per").user_phone ?? null, null, "only Pappa has it");
  // Giving it is in her consent log, said as what it is.
  await kari.goto(env.server.url + "/deling");
  await hydrated(kari);
  await kari.locator(".consent-log li", { hasText: "Du ga telefonnummeret ditt til ola.innsjekk" }).waitFor({ timeout: 20_000 });
  await kari.locator(".consent-log li", { hasText: "Du delte «innsjekking med tillitsperson»" }).first().waitFor();
  await openCheckins(kari);

  // Kontakt meg, offline: the crisis screen at once.
  await kari.context().setOffline(true);
  await kari.getByRole("button", { name: "Kontakt meg" }).click();
  await kari.locator("h1", { hasText: "Trenger du hjelp nå?" }).waitFor({ timeout: 5_000 });
  assert.ok(await kari.locator('a[href="tel:113"]').count());
  await kari.goBack();
  await kari.locator(".help-state", { hasText: "Venter på nett" }).waitFor({ timeout: 10_000 });
  // An invitation needs the network and is not queued: the page says so, and promises nothing.
  await kari.locator("#invite-name").fill("Søster");
  await kari.getByRole("button", { name: "Lag invitasjon" }).click();
  await kari.locator("section.checkin-invite .checkin-notice", { hasText: "Ingen nettforbindelse. Dette må gjøres på nett, så ingenting er endret" }).waitFor();
  // Back online: delivered, and the page says only what is known.
  await kari.context().setOffline(false);
  await kari.locator(".help-state", { hasText: "Ingen har bekreftet ennå." }).waitFor({ timeout: 30_000 });

  // Ola sees it above everything, and answers.
  await openCheckins(ola);
  const alert = ola.locator("section.checkin-alert");
  await alert.waitFor({ timeout: 20_000 });
  assert.match(await alert.textContent(), /kari\.innsjekk ber deg ta kontakt/);
  // His phone calls or texts hers directly: no server, no mobile data needed.
  assert.equal(await alert.getByRole("link", { name: "Ring kari.innsjekk" }).getAttribute("href"), "tel:+4741234567");
  assert.equal(await alert.getByRole("link", { name: "Send SMS kari.innsjekk" }).getAttribute("href"), "sms:+4741234567");
  await alert.getByRole("button", { name: "Jeg tar kontakt" }).click();
  await alert.waitFor({ state: "detached", timeout: 20_000 });
  // Per got the request too, but not her number.
  await openCheckins(per);
  const perAlert = per.locator("section.checkin-alert");
  await perAlert.waitFor({ timeout: 20_000 });
  assert.deepEqual(await perAlert.locator("a[href^='tel:'], a[href^='sms:']").evaluateAll((links) => links.map((a) => a.getAttribute("href"))), ["tel:113"]);

  // Kari sees who is getting in touch.
  await openCheckins(kari);
  await kari.locator(".help-state", { hasText: /«Pappa» tar kontakt, kl\. \d\d:\d\d/ }).waitFor({ timeout: 20_000 });

  // The crisis screen (a direct visit: its own small module) offers Kontakt meg below the
  // numbers, since Kari has a trusted person; Ola, who has none of his own, is not offered it.
  await kari.goto(env.server.url + "/krise");
  await hydrated(kari);
  const contactMe = kari.getByRole("link", { name: "Kontakt meg" });
  await contactMe.waitFor();
  const [top113, topLink] = await Promise.all([kari.locator('a[href="tel:113"]'), contactMe].map(async (l) => (await l.boundingBox()).y));
  assert.ok(topLink > top113, `Kontakt meg (${topLink}) comes after 113 (${top113})`);
  await ola.goto(env.server.url + "/krise");
  await hydrated(ola);
  assert.equal(await ola.locator(".contact-me-link").isVisible(), false, "no Kontakt meg without a trusted person");
  // It asks again, but a second ask within minutes is the same request.
  await contactMe.click();
  await kari.waitForURL(/\/krise$/, { timeout: 10_000 });
  await kari.locator("h1", { hasText: "Trenger du hjelp nå?" }).waitFor();
  const helps = (await people(kari)).flatMap((p) => p.messages.filter((m) => m.kind === "help"));
  assert.equal(helps.length, 2, "one request, to each of the two: " + JSON.stringify(helps));

  // Pause Per: he sees only "Pauset" and cannot write; then remove him: he sees nothing.
  await openCheckins(kari);
  await openConversation(kari, "Per");
  await card(kari, "Per").getByRole("button", { name: "Pause", exact: true }).click();
  await card(kari, "Per").locator(".checkin-status", { hasText: "Pauset" }).waitFor({ timeout: 20_000 });
  await openCheckins(per);
  await card(per, "kari.innsjekk").locator(".checkin-status", { hasText: "Pauset" }).waitFor();
  assert.equal(await card(per, "kari.innsjekk").getByRole("button", { name: "Tenker på deg" }).count(), 0);
  await openConversation(kari, "Per");
  await card(kari, "Per").getByRole("button", { name: "Avslutt" }).click();
  await card(kari, "Per").getByRole("button", { name: "Avslutt" }).click();
  await card(kari, "Per").waitFor({ state: "detached", timeout: 20_000 });
  await openCheckins(per);
  // Per's phone shows its copy first; the round that fetches the list removes the card.
  await card(per, "kari.innsjekk").waitFor({ state: "detached", timeout: 20_000 });
  assert.deepEqual(await people(per), []);

  // English, at 320 px, still accessible.
  await kari.setViewportSize({ width: 320, height: 700 });
  await openCheckins(kari);
  await kari.getByRole("button", { name: "English" }).click();
  await kari.locator("h1", { hasText: "Check-in" }).waitFor();
  await kari.getByRole("button", { name: "Contact me" }).waitFor();
  await kari.locator(".help-state", { hasText: "“Pappa” is getting in touch" }).waitFor();
  const wide = await kari.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 320, `no sideways scrolling at 320 px (${wide})`);
  await assertAccessible(kari, "the check-in page in English at 320 px");
  await kari.getByRole("button", { name: "Norsk" }).click();

  assert.deepEqual(errors, []);
  for (const c of contexts) await c.close();
});
