// The clinician's handover view against the real server: a user shares two sections and the
// wheel with a clinician; the clinician (marked by the administrator's command) logs in with
// a TOTP code, sees them; the user edits an item, adds one, removes one; the clinician sees
// exactly those three as changed, marks them as seen; prints the summary (A4, at most two
// pages, the footer on each); offline the page says the network is needed and shows no
// data; the user sees the views in the access log and revokes; the clinician sees nothing.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { join, resolve } from "node:path";
import { PHONE, startServer, hydrated, controlledByWorker, assertAccessible, suite } from "./harness.mjs";

const env = suite();
const PASS = "en lang og god passordfrase";
const ORG = "Hamar DPS";
const SERVER_BIN = process.env.TILLIT_SERVER_BIN ?? join(resolve(import.meta.dirname, "../.."), "target/debug/server");
const DESKTOP = { viewport: { width: 1280, height: 900 } };

const id = (n) => `0190a000-0000-7000-8000-${String(n).padStart(12, "0")}`;
const SECTION_A = "0190a000-0000-7000-8000-0000000000aa";
const SECTION_B = "0190a000-0000-7000-8000-0000000000bb";

let clock = 1_764_000_000_000;
function change(recordId, kind, body) {
  clock += 1000;
  return {
    id: recordId,
    kind,
    version: { hlc: { wall_ms: clock, counter: 0, device: "phone" }, deleted: body === null, schema: 1, body },
  };
}
const sectionRec = (sid, name, position) => change(sid, "plan.section", { name, position });
const itemRec = (n, sid, text) => change(id(n), "plan.item", { section: sid, text, position: n * 1024 });
const areaRec = (n, name, whatMatters, helpWanted) =>
  change(id(n), "wheel.area", { name, position: n * 1024, chosen: true, what_matters: whatMatters, help_wanted: helpWanted });
const ratingRec = (n, area, date, importance, performance, satisfaction) =>
  change(id(n), "wheel.rating", { area: id(area), date, importance, performance, satisfaction });
const measureRec = (n, area, what, responsible, due) =>
  change(id(n), "wheel.measure", { area: id(area), what, responsible, due, status: "planned", position: 1024 });

/** A typical plan: two shared sections (and one not shared), a wheel of four chosen areas. */
function typicalPlan() {
  return [
    sectionRec(SECTION_A, "Mine varselsignaler", 1024),
    sectionRec(SECTION_B, "Dette hjelper meg", 2048),
    sectionRec(id(99), "Ikke delt", 3072),
    itemRec(1, SECTION_A, "Sover dårlig flere netter på rad"),
    itemRec(2, SECTION_A, "Trekker meg unna venner"),
    itemRec(3, SECTION_A, "Slutter å svare på telefonen"),
    itemRec(4, SECTION_A, "Drikker mer enn vanlig"),
    itemRec(5, SECTION_B, "Å bli snakket rolig til"),
    itemRec(6, SECTION_B, "En tur ut i frisk luft"),
    itemRec(8, SECTION_B, "Musikk og noen å sitte sammen med"),
    itemRec(9, id(99), "Hemmelig punkt"),
    areaRec(20, "Bolig", "Å ha et trygt sted å bo", "Søke kommunal bolig"),
    areaRec(21, "Arbeid", "Å komme tilbake i jobb", "Arbeidstrening gjennom NAV"),
    areaRec(22, "Psykisk helse", "Å sove bedre", null),
    areaRec(23, "Venner og nettverk", null, "Treffe folk igjen"),
    ratingRec(30, 20, "2026-09-01", 9, 3, 2),
    ratingRec(31, 20, "2026-11-20", 9, 6, 5),
    ratingRec(32, 21, "2026-09-01", 7, 2, 3),
    ratingRec(33, 21, "2026-11-20", 8, 3, 3),
    ratingRec(34, 22, "2026-11-20", 10, 4, 4),
    measureRec(40, 20, "Søknad om kommunal bolig", { kind: "service", name: "Hamar kommune" }, "2026-12-15"),
    measureRec(41, 21, "Møte med NAV-veileder", { kind: "person", name: "Ola" }, "2026-12-03"),
    measureRec(42, 22, "Time hos fastlegen om søvn", { kind: "me" }, "2026-12-01"),
  ];
}

function base32Decode(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/=+$/, "").toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The RFC 6238 code (HMAC-SHA1, 6 digits, 30 s) for now. */
function totp(key) {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000)));
  const hash = createHmac("sha1", key).update(message).digest();
  const offset = hash[hash.length - 1] & 15;
  return String((hash.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

async function api(request, method, path, data) {
  const response = await request.fetch(env.server.url + path, { method, data });
  assert.ok(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`);
  return response.status() === 204 ? null : response.json();
}

const since = (page) => page.locator("#siden-sist li[data-change]");
const marksInText = (page) => page.locator("section.share [data-change]");

test("a clinician sees only what is shared, what changed since last time, prints it, and loses it on revocation", async () => {
  const errors = [];
  const user = await (await env.browser.newContext(PHONE)).newPage();
  const doctor = await (await env.browser.newContext(DESKTOP)).newPage();
  for (const p of [user, doctor]) p.on("pageerror", (err) => errors.push(err.message));

  // The user's plan and wheel, on the server (sync), and three shares.
  await api(user.request, "POST", "/api/v1/accounts", { username: "kari.e2e", passphrase: PASS });
  await api(user.request, "POST", "/api/v1/sync", { device: "phone", changes: typicalPlan() });
  const codes = [];
  for (const scope of [`section:${SECTION_A}`, `section:${SECTION_B}`, "wheel"]) {
    codes.push((await api(user.request, "POST", "/api/v1/shares", { scope })).code);
  }

  // The clinician's account, made like any other, then marked by the administrator.
  const signup = await env.browser.newContext();
  await api(signup.request, "POST", "/api/v1/accounts", { username: "dr.e2e", passphrase: PASS });
  await signup.close();
  const marked = spawnSync(SERVER_BIN, ["admin", "clinician", "add", "dr.e2e", "--organisation", ORG], {
    env: { ...process.env, TILLIT_DATA_DIR: env.ws.data },
    encoding: "utf8",
  });
  assert.equal(marked.status, 0, marked.stderr);
  assert.match(marked.stdout, /dr\.e2e is a clinician at Hamar DPS/);

  // The same browser has the app's service worker (it must leave /behandler alone).
  const { url, port } = env.server;
  await doctor.goto(url + "/");
  await hydrated(doctor);
  await controlledByWorker(doctor);

  // Log in: passphrase, then enrolment with the QR code's key, then the recovery codes.
  await doctor.goto(url + "/behandler");
  assert.ok(doctor.url().endsWith("/behandler/logg-inn"));
  await assertAccessible(doctor, "the clinician login");
  await doctor.getByLabel("Brukernavn").fill("dr.e2e");
  await doctor.getByLabel("Passfrase").fill(PASS);
  await doctor.keyboard.press("Enter");
  await doctor.getByRole("heading", { name: "Sett opp engangskoder" }).waitFor();
  assert.equal(await doctor.locator(".qr svg").count(), 1);
  await assertAccessible(doctor, "the enrolment");
  const key = base32Decode((await doctor.locator("#totp-secret").textContent()).trim());
  await doctor.getByLabel("Koden fra appen").fill("000000");
  await doctor.getByRole("button", { name: "Logg inn" }).click();
  await doctor.getByRole("alert").filter({ hasText: "Feil kode" }).waitFor();
  await doctor.getByLabel("Koden fra appen").fill(totp(key));
  await doctor.keyboard.press("Enter");
  await doctor.getByRole("heading", { name: "Gjenopprettingskoder" }).waitFor();
  assert.equal(await doctor.locator(".recovery-codes li").count(), 10);
  await assertAccessible(doctor, "the recovery codes");
  await doctor.getByRole("link", { name: "Fortsett til Mine brukere" }).click();
  await doctor.getByRole("heading", { name: "Mine brukere" }).waitFor();

  // The three codes from the user.
  for (const code of codes) {
    await doctor.goto(url + "/behandler");
    await doctor.getByLabel("Koden brukeren ga deg").fill(code);
    await doctor.getByRole("button", { name: "Bruk koden" }).click();
    await doctor.getByRole("heading", { name: "kari.e2e", level: 1 }).waitFor();
  }
  await doctor.goto(url + "/behandler");
  const row = doctor.getByRole("row", { name: /kari\.e2e/ });
  for (const shared of ["Mine varselsignaler", "Dette hjelper meg", "Samtalehjulet"]) {
    await row.getByText(shared).waitFor();
  }
  assert.equal(await doctor.getByText("Ikke delt").count(), 0);
  await assertAccessible(doctor, "Mine brukere");

  // The person's page: only what is shared, read-only; the first view has nothing marked.
  await row.getByRole("link", { name: "kari.e2e" }).click();
  await doctor.getByText("Sover dårlig flere netter på rad").waitFor();
  for (const text of ["Å bli snakket rolig til", "Bolig", "Søknad om kommunal bolig", "Hamar kommune (tjeneste)", "tydelig endring"]) {
    assert.ok((await doctor.getByText(text).count()) > 0, text);
  }
  assert.equal(await doctor.getByText("Hemmelig punkt").count(), 0);
  assert.equal(await since(doctor).count(), 0);
  assert.equal(await doctor.locator("input:not([type=hidden]), textarea").count(), 0, "read-only");
  await assertAccessible(doctor, "the person's page");
  const personUrl = doctor.url();

  // The user edits an item, adds one, removes one (and edits what is not shared).
  await api(user.request, "POST", "/api/v1/sync", {
    device: "phone",
    changes: [
      itemRec(1, SECTION_A, "Sover nesten ikke"),
      itemRec(10, SECTION_A, "Ringer ikke tilbake"),
      change(id(6), "plan.item", null),
      itemRec(9, id(99), "Hemmelig og endret"),
    ],
  });
  await doctor.goto(url + "/behandler");
  await row.getByText("Endringer: 3").waitFor();
  await doctor.goto(personUrl);
  assert.equal(await since(doctor).count(), 3);
  assert.deepEqual(
    (await since(doctor).evaluateAll((items) => items.map((li) => li.dataset.change))).sort(),
    ["added", "changed", "removed"],
  );
  await since(doctor).filter({ hasText: "«Sover dårlig flere netter på rad» → «Sover nesten ikke»" }).waitFor();
  await since(doctor).filter({ hasText: "Ringer ikke tilbake" }).waitFor();
  await since(doctor).filter({ hasText: "En tur ut i frisk luft" }).waitFor();
  // Marked in the text, in words.
  assert.equal(await marksInText(doctor).count(), 3);
  await doctor.getByText("(før: «Sover dårlig flere netter på rad»)").waitFor();
  await assertAccessible(doctor, "the person's page with changes");
  // By keyboard.
  await doctor.getByRole("button", { name: "Merk som sett" }).focus();
  await doctor.keyboard.press("Enter");
  await doctor.getByText("Ingen endringer siden du merket som sett").waitFor();
  assert.equal(await since(doctor).count(), 0);
  assert.equal(await marksInText(doctor).count(), 0);

  // The handover summary, printed: A4, at most two pages, the footer on every page.
  await doctor.getByRole("link", { name: "Overgangsoppsummering (utskrift)" }).click();
  await doctor.getByRole("heading", { name: /Overgangsoppsummering/ }).waitFor();
  await assertAccessible(doctor, "the summary");
  const pdf = join(env.ws.dir, "oppsummering.pdf");
  await doctor.pdf({ path: pdf, format: "A4" });
  const info = spawnSync("pdfinfo", [pdf], { encoding: "utf8" });
  assert.equal(info.status, 0, info.stderr);
  const pages = Number(info.stdout.match(/Pages:\s+(\d+)/)[1]);
  const size = info.stdout.match(/Page size:\s+([\d.]+) x ([\d.]+)/);
  assert.ok(pages >= 1 && pages <= 2, `${pages} pages`);
  assert.ok(Math.abs(Number(size[1]) - 595) < 3 && Math.abs(Number(size[2]) - 842) < 3, size[0]);
  const text = spawnSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" }).stdout;
  const today = new Intl.DateTimeFormat("nb-NO", { timeZone: "Europe/Oslo", day: "2-digit", month: "2-digit", year: "numeric" }).format(new Date());
  assert.equal(text.split(`Delt av kari.e2e ${today} – kan være utdatert`).length - 1, pages, text);
  assert.equal(text.split("Skrevet ut").length - 1, pages);
  for (const expected of ["Mine varselsignaler", "Sover nesten ikke", "Å bli snakket rolig til", "Bolig", "Søknad om kommunal bolig", "Hamar kommune", "15.12.2026"]) {
    assert.ok(text.includes(expected), `the summary has ${expected}`);
  }
  assert.ok(!text.includes("Hemmelig"));
  assert.ok(!text.includes("Logg ut"), "no screen controls on paper");
  // A long plan runs over more pages: the footer is on each of them.
  const many = Array.from({ length: 60 }, (_, k) => itemRec(100 + k, SECTION_A, `Langt punkt nummer ${k + 1} i planen`));
  await api(user.request, "POST", "/api/v1/sync", { device: "phone", changes: many });
  await doctor.reload();
  await doctor.pdf({ path: pdf, format: "A4" });
  const longPages = Number(spawnSync("pdfinfo", [pdf], { encoding: "utf8" }).stdout.match(/Pages:\s+(\d+)/)[1]);
  const longText = spawnSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" }).stdout;
  assert.ok(longPages >= 2, `${longPages} pages`);
  assert.equal(longText.split("kan være utdatert").length - 1, longPages, longText);
  assert.ok(longText.includes("Langt punkt nummer 60 i planen"), "nothing is hidden under the footer");

  // Offline (the server stopped), a reload says the network is needed and shows no data.
  await doctor.goto(personUrl);
  await doctor.getByText("Sover nesten ikke").waitFor();
  await env.server.stop();
  await doctor.reload();
  await doctor.getByRole("heading", { name: "Behandlersidene trenger nett" }).waitFor();
  assert.equal(await doctor.getByText("Sover nesten ikke").count(), 0);
  assert.equal(await doctor.getByText("kari.e2e").count(), 0);
  env.server = await startServer({ ...env.ws, port });

  // The user sees the views, with the organisation, in "Hvem har sett hva"; and revokes.
  await user.goto(url + "/innstillinger");
  await hydrated(user);
  await user.getByLabel("Brukernavn eller e-post").fill("kari.e2e");
  await user.getByLabel("Passordfrase", { exact: true }).fill(PASS);
  await user.getByRole("button", { name: "Logg inn" }).click();
  await user.getByText("Logget inn som").waitFor();
  await user.goto(url + "/deling");
  await hydrated(user);
  await user.locator(".access-log li", { hasText: `dr.e2e (${ORG}) så «` }).first().waitFor({ timeout: 20_000 });
  await user.locator(".share-who", { hasText: `dr.e2e (${ORG})` }).first().waitFor();
  const { given } = await api(user.request, "GET", "/api/v1/shares");
  for (const share of given) await api(user.request, "DELETE", `/api/v1/shares/${share.id}`);

  // The clinician's next load shows nothing.
  await doctor.goto(personUrl);
  await doctor.getByText("Fant ikke dette").waitFor();
  assert.equal(await doctor.getByText("Sover nesten ikke").count(), 0);
  await doctor.goto(url + "/behandler");
  await doctor.getByText("Ingen deler noe med deg nå").waitFor();
  assert.equal(await doctor.getByText("kari.e2e").count(), 0);
  assert.deepEqual(errors, []);
});
