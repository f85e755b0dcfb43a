// A new deployment: the server offers a changed service worker; the open app shows
// "Ny versjon – last inn på nytt"; tapping it reloads into the new version, and the old
// cache is gone.

import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { PHONE, startServer, hydrated, controlledByWorker, headingIs, suite } from "./harness.mjs";

const env = suite();

const version = (page) => page.evaluate(() => fetch("/healthz").then((r) => r.json()).then((b) => b.version));
const cacheNames = (page) => page.evaluate(() => caches.keys());

test("a changed worker is offered as a new version, and reloading brings it", async () => {
  const context = await env.browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(env.server.url + "/hjulet");
  await hydrated(page);
  await controlledByWorker(page);
  const before = await version(page);
  assert.deepEqual(await cacheNames(page), [`tillit-${before}`]);
  assert.equal(await page.getByRole("button", { name: "Ny versjon – last inn på nytt" }).count(), 0, "no banner before an update");

  // Deploy a new build on the same origin: the worker changes, so its version does.
  const { port } = env.server;
  await env.server.stop();
  appendFileSync(join(env.ws.site, "sw.js"), "\n// the next deployment\n");
  env.server = await startServer({ ...env.ws, port });
  const after = await version(page);
  assert.notEqual(after, before);

  // What the browser does on its own at its next update check.
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  const banner = page.getByRole("button", { name: "Ny versjon – last inn på nytt" });
  await banner.waitFor({ timeout: 30_000 });

  await Promise.all([page.waitForEvent("load", { timeout: 30_000 }), banner.click()]);
  await hydrated(page);
  await headingIs(page, "Samtalehjulet");
  await controlledByWorker(page);
  const active = await page.evaluate(() => fetch("/sw.js").then((r) => r.text()));
  assert.ok(active.includes(`const VERSION = "${after}"`));
  assert.deepEqual(await cacheNames(page), [`tillit-${after}`], "the old cache was deleted");
  assert.equal(await banner.count(), 0, "the banner is gone after the update");
  await context.close();
});
