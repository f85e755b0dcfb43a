// The conversation wheel on the phone, offline after one online visit. The user chooses
// areas and writes what matters, rates an area, re-rates it on a later (simulated) date and
// sees the trend and the "tydelig endring" mark, plans a measure and completes it, answers
// the checklist, renames, adds and hides areas, reloads, and exports and imports it all.
// The page's clock is faked with Playwright's clock: the app reads "today" from Date.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PHONE, startServer, hydrated, controlledByWorker, headingIs, assertAccessible, suite } from "./harness.mjs";

const RESULTS = join(import.meta.dirname, "..", "test-results");
const env = suite();
mkdirSync(RESULTS, { recursive: true });

const area = (page, name) =>
  page.locator("li.area", { has: page.getByRole("heading", { level: 3, name, exact: true }) });

/** Opens an area's words, ratings and measures (drawn only while open). */
async function openArea(page, name) {
  const details = area(page, name).locator("details.area-details");
  if (!(await details.evaluate((d) => d.open))) await details.locator("> summary").click();
  await area(page, name).locator(".rating-form").waitFor();
}

/** Opens every chosen area, as a person reading it all would. */
async function openAll(page) {
  const closed = page.locator("li.area details.area-details:not([open]) > summary");
  while ((await closed.count()) > 0) {
    await closed.first().click();
  }
  await page.waitForFunction(() =>
    document.querySelectorAll("li.area.is-chosen .rating-form").length === document.querySelectorAll("li.area.is-chosen").length);
}

async function openWheel(page, url) {
  await page.goto(url + "/hjulet");
  await hydrated(page);
  await area(page, "Bolig").waitFor();
}

/** What the wheel page shows, as text: areas, choices, words, ratings, measures, checklist. */
async function visibleWheel(page) {
  await page.locator("li.area").first().waitFor();
  await openAll(page);
  return page.evaluate(() => ({
    areas: [...document.querySelectorAll("li.area")].map((a) => ({
      name: a.querySelector("h3").textContent,
      chosen: a.querySelector(".choose input").checked,
      summary: a.querySelector(".area-summary")?.textContent ?? null,
      texts: [...a.querySelectorAll(".area-texts textarea")].map((t) => t.value),
      ratings: [...a.querySelectorAll(".ratings-table tbody tr")].map((r) => r.textContent),
      changes: [...a.querySelectorAll(".changes li")].map((l) => l.textContent),
      measures: [...a.querySelectorAll(".measure")].map((m) => m.textContent),
    })),
    hidden: [...document.querySelectorAll(".hidden-areas li span")].map((s) => s.textContent),
    open: [...document.querySelectorAll(".open-measures li")].map((l) => l.textContent),
    checklist: [...document.querySelectorAll(".checklist-history tbody tr")].map((r) => r.textContent),
    segments: [...document.querySelectorAll("svg.wheel .segment-label")].map((t) => t.textContent),
    scores: [...document.querySelectorAll("svg.wheel .segment-score")].map((t) => t.textContent),
  }));
}

async function choose(page, name) {
  const a = area(page, name);
  await a.getByLabel("Viktig for meg nå").check();
  await a.getByRole("heading", { name: "Gi poeng (valgfritt)" }).waitFor();
}

async function rate(page, name, scores) {
  await openArea(page, name);
  const a = area(page, name);
  for (const [scale, value] of Object.entries(scores)) {
    await a.getByRole("group", { name: scale }).getByRole("radio", { name: String(value), exact: true }).check();
  }
  await a.getByRole("button", { name: "Lagre poengene" }).click();
  await a.locator(".rating-form .saved-mark").waitFor();
}

test("the wheel: choose, write, rate, re-rate, measures, checklist, offline, export and import", async () => {
  const context = await env.browser.newContext(PHONE);
  let page = await context.newPage();
  const errors = [];
  page.on("pageerror", (err) => errors.push(err.message));
  await page.clock.setFixedTime(new Date("2026-09-01T10:00:00"));
  await openWheel(page, env.server.url);
  await controlledByWorker(page);
  const { url, port } = env.server;
  await env.server.stop();
  await context.setOffline(true);

  // Eleven areas for a new user, none chosen; the caption says so in words.
  assert.equal(await page.locator("li.area").count(), 11);
  assert.equal(await page.locator("svg.wheel .segment").count(), 11);
  assert.match(await page.locator("figure.wheel-figure figcaption").textContent(), /Ingen områder er valgt/);
  await assertAccessible(page, "a new wheel");

  // Choose two areas and write what matters, in the user's words.
  await choose(page, "Bolig");
  await choose(page, "Psykisk helse");
  const housing = area(page, "Bolig");
  await housing.getByLabel("Hva er viktig for meg her?").fill("Å ha et trygt sted å bo");
  await housing.getByLabel("Hva vil jeg ha hjelp til?").fill("Søknad om bostøtte");
  await housing.getByRole("button", { name: "Lagre tekstene" }).click();
  await housing.locator(".area-texts .saved-here", { hasText: "Lagret" }).waitFor();

  // Too long: said at the field, the text stays, nothing is saved.
  const long = "x".repeat(1001);
  const mental = area(page, "Psykisk helse");
  await mental.getByLabel("Hva er viktig for meg her?").fill(long);
  await mental.getByText("For langt: 1001 tegn, høyst 1000 er lov").waitFor();
  await mental.getByRole("button", { name: "Lagre tekstene" }).click();
  assert.equal(await mental.getByLabel("Hva er viktig for meg her?").inputValue(), long, "the text stays");
  assert.equal(await mental.locator(".area-texts .saved-here", { hasText: "Lagret" }).count(), 0, "not saved");
  await mental.getByLabel("Hva er viktig for meg her?").fill("Sove bedre");

  // No score chosen: a clear message, nothing saved (rating is optional, not empty).
  await mental.getByRole("button", { name: "Lagre poengene" }).click();
  await mental.getByText("Velg et tall på minst én av skalaene").waitFor();

  // Rate on 1 September.
  assert.equal(await housing.getByLabel("Dato").inputValue(), "2026-09-01");
  await rate(page, "Bolig", { "Hvor viktig": 8, "Hvordan det går": 3, "Hvor fornøyd": 2 });
  await housing.locator(".ratings-table tbody tr", { hasText: "01.09.2026" }).waitFor();

  // With the keyboard only: a radio group takes Space and the arrow keys.
  const performance = mental.getByRole("group", { name: "Hvordan det går" });
  await performance.getByRole("radio", { name: "4", exact: true }).focus();
  await page.keyboard.press("Space");
  await page.keyboard.press("ArrowRight");
  assert.equal(await performance.getByRole("radio", { name: "5", exact: true }).isChecked(), true);
  await mental.getByRole("button", { name: "Lagre poengene" }).focus();
  await page.keyboard.press("Enter");
  await mental.locator(".ratings-table tbody tr", { hasText: "01.09.2026" }).waitFor();

  // Later: 20 November. The date field follows; re-rate, and the change shows.
  await page.clock.setFixedTime(new Date("2026-11-20T10:00:00"));
  await page.reload();
  await hydrated(page);
  await area(page, "Bolig").waitFor();
  await area(page, "Bolig").locator(".area-summary", { hasText: "Sist vurdert 01.09.2026: Hvor viktig 8 · Hvordan det går 3 · Hvor fornøyd 2" }).waitFor();
  await openArea(page, "Bolig");
  assert.equal(await area(page, "Bolig").getByLabel("Dato").inputValue(), "2026-11-20");
  await rate(page, "Bolig", { "Hvor viktig": 8, "Hvordan det går": 6, "Hvor fornøyd": 3 });
  const changes = area(page, "Bolig").locator(".changes");
  await changes.getByText("Hvordan det går: fra 3 til 6 – en tydelig endring.").waitFor();
  await changes.getByText("Hvor fornøyd: fra 2 til 3.", { exact: true }).waitFor();
  assert.deepEqual(await changes.locator(".clear-change").allTextContents(), ["Hvordan det går: fra 3 til 6 – en tydelig endring."]);
  assert.equal(await area(page, "Bolig").locator("svg.trend polyline").count(), 3);
  assert.match(await area(page, "Bolig").locator("svg.trend").getAttribute("aria-label"), /2 vurderinger/);
  assert.deepEqual(await area(page, "Bolig").locator(".ratings-table tbody tr").evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("th, td:not(.rating-tools)")].map((c) => c.textContent).join(""))), ["20.11.2026863", "01.09.2026832"]);
  assert.match(await area(page, "Bolig").locator(".area-summary").textContent(), /Sist vurdert 20\.11\.2026: .* · tydelig endring$/);
  // The drawing shows the latest performance in the chosen segment.
  await page.locator("svg.wheel .segment-score", { hasText: "6" }).waitFor();
  assert.match(await page.locator(".wheel-summary").textContent(), /^Slik går det i områdene du har valgt, etter siste vurdering: .*Bolig: 6\/10/);

  // The saved scores stay chosen (they are what was saved, not "Ikke nå").
  const bolig = area(page, "Bolig");
  assert.equal(await bolig.getByRole("group", { name: "Hvordan det går" }).getByRole("radio", { name: "6", exact: true }).isChecked(), true);
  // A date in the future is refused, said at the field; nothing is saved.
  await bolig.getByLabel("Dato").fill("2026-11-21");
  await bolig.getByRole("button", { name: "Lagre poengene" }).click();
  await bolig.getByText("Datoen er fram i tid. Velg i dag eller en dag som har vært.").waitFor();
  assert.equal(await bolig.locator(".ratings-table tbody tr").count(), 2, "no rating for tomorrow");
  // A second rating the same day says that it replaces the first.
  await bolig.getByLabel("Dato").fill("2026-11-20");
  await rate(page, "Bolig", { "Hvordan det går": 7 });
  await bolig.locator(".rating-form .saved-mark", { hasText: "Den erstatter vurderingen du hadde gitt denne dagen" }).waitFor();
  await bolig.locator(".ratings-table tbody tr", { hasText: "20.11.2026873" }).waitFor();
  await rate(page, "Bolig", { "Hvordan det går": 6 });
  await bolig.locator(".ratings-table tbody tr", { hasText: "20.11.2026863" }).waitFor();

  // Correcting an old rating: "Endre" fills the form with that day's scores; saving replaces it.
  const september = bolig.locator(".ratings-table tbody tr", { hasText: "01.09.2026" });
  await september.getByRole("button", { name: "Endre 01.09.2026" }).click();
  assert.equal(await bolig.getByLabel("Dato").inputValue(), "2026-09-01");
  assert.equal(await bolig.getByRole("group", { name: "Hvordan det går" }).getByRole("radio", { name: "3", exact: true }).isChecked(), true);
  await rate(page, "Bolig", { "Hvordan det går": 4 });
  await bolig.locator(".ratings-table tbody tr", { hasText: "01.09.2026842" }).waitFor();
  // Deleting it: gone from the table, with undo just above the menu; undo brings it back.
  await september.getByRole("button", { name: "Slett 01.09.2026" }).click();
  await page.locator(".undo-bar").getByText("Slettet: «01.09.2026»").waitFor();
  await bolig.locator(".ratings-table tbody tr", { hasText: "01.09.2026" }).waitFor({ state: "detached" });
  await page.locator(".undo-bar").getByRole("button", { name: "Angre" }).click();
  await bolig.locator(".ratings-table tbody tr", { hasText: "01.09.2026842" }).waitFor();
  // Back to what it was, for the rest of the walk.
  await september.getByRole("button", { name: "Endre 01.09.2026" }).click();
  await rate(page, "Bolig", { "Hvordan det går": 3 });
  await bolig.locator(".ratings-table tbody tr", { hasText: "01.09.2026832" }).waitFor();
  await bolig.getByLabel("Dato").fill("2026-11-20");

  // A measure with a responsible person and a date; a service without a name is refused.
  const measures = area(page, "Bolig").locator(".measures");
  await measures.locator("summary", { hasText: "Legg til et tiltak" }).click();
  await measures.getByLabel("Hva skal gjøres?").fill("Søke om bostøtte");
  await measures.getByRole("radio", { name: "En tjeneste" }).check();
  await measures.getByRole("button", { name: "Lagre tiltaket" }).click();
  await measures.getByText("Skriv navnet på personen eller tjenesten.").waitFor();
  assert.equal(await measures.getByLabel("Hva skal gjøres?").inputValue(), "Søke om bostøtte", "the text stays");
  await measures.getByRole("radio", { name: "En person" }).check();
  await measures.getByLabel("Navn på personen eller tjenesten").fill("Kari, koordinator");
  await measures.getByLabel("Når (valgfritt)").fill("2026-12-01");
  await measures.getByRole("button", { name: "Lagre tiltaket" }).click();
  const measure = measures.locator("li.measure", { hasText: "Søke om bostøtte" });
  await measure.waitFor();
  assert.match(await measure.textContent(), /Ansvar: Kari, koordinator \(person\) · Når: 01\.12\.2026 · Planlagt/);
  await page.locator(".open-measures li", { hasText: "Søke om bostøtte" }).waitFor();
  await measure.getByLabel("Status").selectOption({ label: "Gjort" });
  await page.locator(".open-measures").getByText("Ingen åpne tiltak").waitFor();
  assert.equal(await measure.getAttribute("data-status"), "done");

  // The checklist: yes, partly, no on three questions is 50 %.
  const checklist = page.locator("section.checklist");
  const answer = (question, value) =>
    checklist.getByRole("group", { name: question }).getByRole("radio", { name: value, exact: true }).check();
  await answer("Jeg har én koordinator jeg kan nå.", "Ja");
  await answer("Planen min er kjent for tjenestene jeg bruker.", "Delvis");
  await answer("Jeg vet hvem jeg skal ringe når det blir verre.", "Nei");
  await checklist.getByText("Poeng nå: 50 % (3 besvart)").waitFor();
  // Saving something else in the wheel meanwhile keeps the answers being given.
  await rate(page, "Psykisk helse", { "Hvor fornøyd": 4 });
  await checklist.getByText("Poeng nå: 50 % (3 besvart)").waitFor();
  await checklist.getByRole("button", { name: "Lagre svarene" }).click();
  await checklist.locator(".checklist-history tbody tr", { hasText: "20.11.2026" }).getByText("50 %").waitFor();
  await checklist.getByLabel("Et eget spørsmål").fill("Jeg får svar innen en uke.");
  await checklist.getByRole("button", { name: "Legg til spørsmål" }).click();
  await checklist.getByRole("group", { name: "Jeg får svar innen en uke." }).waitFor();

  // Rename an area, add one of one's own, hide one; a name over 80 characters is refused.
  const substance = area(page, "Rus");
  await substance.locator("details.tools > summary").click();
  await substance.getByLabel("Navn på området").fill("x".repeat(81));
  await substance.getByRole("button", { name: "Gi nytt navn" }).click();
  await substance.getByText("For langt: 81 tegn, høyst 80 er lov").waitFor();
  await substance.getByLabel("Navn på området").fill("Rus og spill");
  await substance.getByRole("button", { name: "Gi nytt navn" }).click();
  await area(page, "Rus og spill").waitFor();
  await page.getByLabel("Et eget område").fill("Katten min");
  await page.getByRole("button", { name: "Legg til område" }).click();
  await area(page, "Katten min").waitFor();
  assert.equal(await area(page, "Katten min").getByLabel("Viktig for meg nå").isChecked(), true, "added because it matters");
  const money = area(page, "Økonomi");
  await money.locator("details.tools > summary").click();
  await money.getByRole("button", { name: "Skjul området" }).click();
  await page.locator(".hidden-areas li", { hasText: "Økonomi" }).waitFor();
  assert.equal(await area(page, "Økonomi").count(), 0);

  // Everything is there after a reload, and after closing and reopening.
  const built = await visibleWheel(page);
  assert.equal(built.areas.length, 11);
  assert.ok(built.segments.includes("Katten min"));
  assert.deepEqual(built.scores, ["6", "5"]);
  await assertAccessible(page, "the wheel with ratings, measures and the checklist");
  await page.locator("figure.wheel-figure").screenshot({ path: join(RESULTS, "wheel-drawing.png") });
  await page.screenshot({ path: join(RESULTS, "wheel.png"), fullPage: true });
  await area(page, "Bolig").screenshot({ path: join(RESULTS, "wheel-area.png") });
  await page.locator("section.checklist").screenshot({ path: join(RESULTS, "wheel-checklist.png") });
  await page.reload();
  await hydrated(page);
  await area(page, "Katten min").waitFor();
  assert.deepEqual(await visibleWheel(page), built);
  await page.close();
  page = await context.newPage();
  await page.clock.setFixedTime(new Date("2026-11-20T10:00:00"));
  await openWheel(page, url);
  await area(page, "Katten min").waitFor();
  assert.deepEqual(await visibleWheel(page), built);

  // On a 320 px phone, nothing scrolls sideways, charts and tables included.
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, "no sideways scrolling at 320 px");
  await page.setViewportSize(PHONE.viewport);

  // In English too, with no violations.
  await page.getByRole("button", { name: "English" }).click();
  await headingIs(page, "The conversation wheel");
  await page.getByText("How it goes: from 3 to 6 – a clear change.").waitFor();
  await assertAccessible(page, "the wheel in English");
  await page.getByRole("button", { name: "Norsk" }).click();
  await headingIs(page, "Samtalehjulet");

  // With 200 % text the drawing's labels grow with it, and none is cut off at 360 px or
  // 320 px: the drawing makes room for them. The names would run into each other around a
  // phone-sized wheel, so the segments are numbered and a key below names them.
  const labelSize = () => page.locator("svg.wheel .segment-label").first().evaluate((t) => t.getBoundingClientRect().height);
  const normal = await labelSize();
  await page.evaluate(() => { document.documentElement.style.fontSize = "200%"; });
  await page.locator("nav.main-nav").getByRole("link", { name: "Min plan" }).click();
  await page.getByRole("heading", { level: 1, name: "Min plan" }).waitFor();
  await page.locator("nav.main-nav").getByRole("link", { name: "Hjulet" }).click();
  await page.locator("svg.wheel .segment-label").first().waitFor();
  await page.waitForFunction(() => Number(document.querySelector("svg.wheel .segment-label")?.getAttribute("font-size")) >= 20);
  const large = await labelSize();
  assert.ok(large > normal * 1.25, `labels grow with the text: ${normal} → ${large} px`);
  const labels = await page.locator("svg.wheel .segment-label").allTextContents();
  assert.deepEqual(labels, labels.map((_, i) => String(i + 1)), "numbered segments");
  const key = await page.locator("ol.wheel-key li").allTextContents();
  assert.equal(key.length, labels.length);
  assert.ok(key.includes("Bolig") && key.includes("Katten min"), "the key names the segments");
  const overlapping = await page.evaluate(() => {
    const boxes = [...document.querySelectorAll("svg.wheel .segment-label")].map((t) => t.getBoundingClientRect());
    return boxes.some((a, i) => boxes.some((b, j) => j > i && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom));
  });
  assert.equal(overlapping, false, "no label runs into another");
  for (const width of [360, 320]) {
    await page.setViewportSize({ width, height: 780 });
    const cut = await page.evaluate(() => {
      const box = document.querySelector("svg.wheel").getBoundingClientRect();
      return [...document.querySelectorAll("svg.wheel .segment-label")]
        .filter((t) => {
          const r = t.getBoundingClientRect();
          return r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
        })
        .map((t) => t.textContent);
    });
    assert.deepEqual(cut, [], `no label cut off at ${width} px`);
  }
  await page.setViewportSize(PHONE.viewport);
  await page.locator("figure.wheel-figure").screenshot({ path: join(RESULTS, "wheel-drawing-200.png") });
  await assertAccessible(page, "the wheel at 200 % text");
  await page.evaluate(() => { document.documentElement.style.fontSize = ""; });

  // Export: the wheel's records are in the file, in their own group.
  await page.goto(url + "/innstillinger");
  await hydrated(page);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Last ned planen og hjulet som fil" }).click(),
  ]);
  const exported = join(RESULTS, "wheel-export.json");
  await download.saveAs(exported);
  const file = JSON.parse(readFileSync(exported, "utf8"));
  assert.equal(file.version, 2);
  const kinds = new Set(file.wheel.map((r) => r.kind));
  for (const kind of ["wheel.area", "wheel.rating", "wheel.measure", "wheel.check_item", "wheel.check_round"]) {
    assert.ok(kinds.has(kind), `the export holds ${kind}`);
  }
  assert.deepEqual(errors, []);
  await context.close();

  // Import into a fresh profile (one online visit, then offline): the same wheel.
  env.server = await startServer({ ...env.ws, port });
  const fresh = await env.browser.newContext(PHONE);
  const other = await fresh.newPage();
  await other.clock.setFixedTime(new Date("2026-11-20T10:00:00"));
  await openWheel(other, url);
  await controlledByWorker(other);
  await env.server.stop();
  await fresh.setOffline(true);
  await other.goto(url + "/innstillinger");
  await hydrated(other);
  // A score out of range in the file: refused, nothing changed.
  const bad = structuredClone(file);
  bad.wheel.find((r) => r.kind === "wheel.rating").current.body.performance = 11;
  await other.setInputFiles("#import-file", { name: "bad.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(bad)) });
  await other.getByText("Filen har feil i seg og er ikke lest inn. Ingenting er endret.").waitFor();
  assert.match(await other.locator(".import-detail").textContent(), /wheel record \d+: .*from 1 to 10, not 11/);
  await other.setInputFiles("#import-file", exported);
  await other.getByText(/Lest inn: \d+ endringer/).waitFor();
  await openWheel(other, url);
  await area(other, "Katten min").waitFor();
  assert.deepEqual(await visibleWheel(other), built, "the imported wheel is the same wheel");
  await fresh.close();
});
