// The app shell online: every route renders and hydrates, the language switch works and is
// remembered, the crisis screen is one tap away, unknown routes get the 404 page, and axe
// finds nothing on any route in either language.

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  PHONE, ROUTES, EMERGENCY_TEL, startServer,
  hydrated, heading, headingIs, assertAccessible, suite } from "./harness.mjs";

const env = suite();

test("every route renders in Norwegian and hydrates: a click changes the page", async () => {
  const context = await env.browser.newContext(PHONE);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (err) => errors.push(err.message));
  page.on("console", (msg) => msg.type() === "error" && errors.push(msg.text()));
  for (const route of ROUTES) {
    await page.goto(env.server.url + route.path);
    assert.equal(await heading(page), route.nb, `${route.path} server-rendered in bokmål`);
    await hydrated(page);
    await page.getByRole("button", { name: "English" }).click();
    await headingIs(page, route.en);
    assert.equal(await page.getAttribute("html", "lang"), "en");
    await page.getByRole("button", { name: "Norsk" }).click();
    await headingIs(page, route.nb);
    assert.equal(await page.getAttribute("html", "lang"), "nb");
  }
  assert.deepEqual(errors, [], "no script errors (CSP, hydration)");
  await context.close();
});

test("the navigation moves between the four areas without a reload", async () => {
  const context = await env.browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(env.server.url + "/");
  await hydrated(page);
  const nav = page.getByRole("navigation", { name: "Hovedmeny" });
  for (const [name, title] of [["Hjulet", "Samtalehjulet"], ["Deling", "Deling"], ["Innstillinger", "Innstillinger og lagring"], ["Min plan", "Min plan"]]) {
    await nav.getByRole("link", { name }).click();
    await headingIs(page, title);
    assert.equal(await nav.getByRole("link", { name }).getAttribute("aria-current"), "page");
  }
  await context.close();
});

test("the language choice is remembered across reloads and pages", async () => {
  const context = await env.browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(env.server.url + "/hjulet");
  await hydrated(page);
  await page.getByRole("button", { name: "English" }).click();
  await headingIs(page, "The conversation wheel");
  await page.reload();
  await hydrated(page);
  await headingIs(page, "The conversation wheel");
  await page.goto(env.server.url + "/krise");
  await hydrated(page);
  await headingIs(page, "Do you need help now?");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await context.close();
});

test("the crisis button is on every page and opens the crisis screen in one tap", async () => {
  const context = await env.browser.newContext(PHONE);
  const page = await context.newPage();
  for (const route of ROUTES.filter((r) => r.path !== "/krise")) {
    await page.goto(env.server.url + route.path);
    await hydrated(page);
    const button = page.getByRole("link", { name: "Krise – få hjelp" });
    const box = await button.boundingBox();
    assert.ok(box.width >= 44 && box.height >= 44, `the crisis button is a 44 px target on ${route.path}`);
    assert.ok(box.y + box.height <= PHONE.viewport.height, "visible without scrolling");
    await button.click();
    await headingIs(page, "Trenger du hjelp nå?");
  }
  const hrefs = await page.locator("a.call-link").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  assert.deepEqual(hrefs, EMERGENCY_TEL);
  for (const name of ["Medisinsk nødhjelp", "Legevakt", "Mental Helse hjelpetelefonen", "Kirkens SOS"]) {
    assert.ok(await page.getByRole("link", { name: new RegExp(name) }).isVisible(), `${name} is labelled`);
  }
  await context.close();
});

test("every link and button is at least a 44 × 44 px touch target", async () => {
  const context = await env.browser.newContext(PHONE);
  const page = await context.newPage();
  for (const path of [...ROUTES.map((r) => r.path), "/finnes-ikke"]) {
    await page.goto(env.server.url + path);
    await hydrated(page);
    const small = await page.locator("a:visible, button:visible").evaluateAll((els) =>
      els
        .map((el) => ({ el, box: el.getBoundingClientRect() }))
        .filter(({ box }) => box.width < 44 || box.height < 44)
        .map(({ el, box }) => `${el.textContent.trim()} (${Math.round(box.width)}×${Math.round(box.height)})`),
    );
    assert.deepEqual(small, [], `small targets on ${path}`);
  }
  await context.close();
});

test("an unknown route gets the Norwegian 404 page", async () => {
  const context = await env.browser.newContext(PHONE);
  const page = await context.newPage();
  const response = await page.goto(env.server.url + "/finnes/ikke");
  assert.equal(response.status(), 404);
  await hydrated(page);
  assert.equal(await heading(page), "Fant ikke siden");
  await page.getByRole("link", { name: "Gå til Min plan" }).click();
  await headingIs(page, "Min plan");
  await context.close();
});

test("axe finds no violations on any route, in bokmål and in English, light and dark", async () => {
  for (const colorScheme of ["light", "dark"]) {
    const context = await env.browser.newContext({ ...PHONE, colorScheme });
    const page = await context.newPage();
    for (const lang of ["nb", "en"]) {
      for (const route of [...ROUTES, { path: "/finnes-ikke", nb: "Fant ikke siden", en: "Page not found" }]) {
        await page.goto(env.server.url + route.path);
        await hydrated(page);
        await headingIs(page, route[lang]);
        await assertAccessible(page, `${route.path} (${lang}, ${colorScheme})`);
      }
      if (lang === "nb") {
        await page.getByRole("button", { name: "English" }).click();
        await headingIs(page, "Page not found");
      }
    }
    await context.close();
  }
});

test("the page fits a 320 px phone without sideways scrolling", async () => {
  const context = await env.browser.newContext({ ...PHONE, viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  for (const route of ROUTES) {
    await page.goto(env.server.url + route.path);
    await hydrated(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, `${route.path} has no horizontal scroll at 320 px`);
  }
  await context.close();
});
