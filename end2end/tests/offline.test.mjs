// Offline for real: after one online visit of / the server process is stopped and the
// browser is set offline, and every route (each page is its own lazily loaded wasm chunk,
// never fetched before), the crisis screen and the 404 page still load from the service
// worker, hydrate, work, and show the emergency numbers.

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  PHONE, ROUTES, EMERGENCY_TEL, startServer,
  hydrated, controlledByWorker, heading, headingIs, suite, newItemField } from "./harness.mjs";

const env = suite();

test("after one online visit, everything works with the server gone", async () => {
  const context = await env.browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(env.server.url + "/");
  await hydrated(page);
  await controlledByWorker(page);
  const { url, port } = env.server;

  // Take the network away for real: the worker's own fetches ignore setOffline.
  await env.server.stop();
  await context.setOffline(true);
  const refused = await page.evaluate((u) => fetch(u + "/healthz").then(() => "reached", () => "refused"), url);
  assert.equal(refused, "refused", "the server is really gone");

  for (const route of ROUTES) {
    await page.goto(url + route.path);
    assert.equal(await heading(page), route.nb, `${route.path} loads offline`);
    await hydrated(page);
    await page.getByRole("button", { name: "English" }).click();
    await headingIs(page, route.en);
    await page.getByRole("button", { name: "Norsk" }).click();
    await headingIs(page, route.nb);
  }

  // The pages' own code works, not only the frame: the plan and the wheel read the phone's
  // store and save to it.
  await page.goto(url + "/");
  await hydrated(page);
  const signs = page.locator("section.plan-section", { has: page.getByRole("heading", { level: 2, name: "Mine varselsignaler" }) });
  await (await newItemField(signs)).fill("Skrevet uten nett");
  await signs.getByRole("button", { name: "Legg til", exact: true }).click();
  await signs.locator(".item-text", { hasText: "Skrevet uten nett" }).waitFor();
  await page.goto(url + "/hjulet");
  await hydrated(page);
  await page.locator("svg.wheel").waitFor();
  await page.locator("li.area").first().waitFor();

  await page.goto(url + "/");
  await hydrated(page);
  await page.getByRole("link", { name: "Krise – få hjelp" }).click();
  await headingIs(page, "Trenger du hjelp nå?");
  const hrefs = await page.locator("a.call-link").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  assert.deepEqual(hrefs, EMERGENCY_TEL, "the emergency numbers are there offline");

  await page.goto(url + "/ingen/slik/side");
  assert.equal(await heading(page), "Fant ikke siden", "the 404 page is there offline");
  await hydrated(page);

  // A new tab, as when the app is opened again from the home screen.
  const again = await context.newPage();
  await again.goto(url + "/krise");
  await hydrated(again);
  assert.equal(await again.locator("a.call-link").count(), 4);

  // The network comes back: the same origin serves again and the app carries on.
  const back = await startServer({ ...env.ws, port });
  env.server = back;
  await context.setOffline(false);
  await page.goto(url + "/deling");
  await hydrated(page);
  assert.equal(await heading(page), "Deling");
  await context.close();
});
