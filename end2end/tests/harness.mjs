// Shared by the end-to-end tests: a real server process on its own copy of the built site and
// a fresh data directory, and Debian's Chromium at a phone viewport.
//
// TILLIT_SERVER_BIN  the server binary (scripts/test sets it; default target/debug/server)
// TILLIT_SITE_ROOT   the built site (default target/site)

import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { before, after } from "node:test";
import { chromium } from "playwright-core";
import axeModule from "@axe-core/playwright";

const ROOT = resolve(import.meta.dirname, "../..");
const SERVER_BIN = process.env.TILLIT_SERVER_BIN ?? join(ROOT, "target/debug/server");
const SITE_ROOT = process.env.TILLIT_SITE_ROOT ?? join(ROOT, "target/site");
const AxeBuilder = axeModule.AxeBuilder ?? axeModule.default ?? axeModule;

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export const ROUTES = [
  { path: "/", nb: "Min plan", en: "My plan" },
  { path: "/hjulet", nb: "Samtalehjulet", en: "The conversation wheel" },
  { path: "/innsjekk", nb: "Innsjekk", en: "Check-in" },
  { path: "/deling", nb: "Deling", en: "Sharing" },
  { path: "/delt-med-meg", nb: "Delt med meg", en: "Shared with me" },
  { path: "/krise", nb: "Trenger du hjelp nå?", en: "Do you need help now?" },
  { path: "/innstillinger", nb: "Innstillinger og lagring", en: "Settings and storage" },
];

export const EMERGENCY_TEL = ["tel:113", "tel:116117", "tel:116123", "tel:22400040"];

/** A directory of this test's own: a copy of the built site and an empty data directory. */
export function workspace() {
  const dir = mkdtempSync(join(tmpdir(), "tillit-e2e-"));
  const site = join(dir, "site");
  cpSync(SITE_ROOT, site, { recursive: true });
  return { dir, site, data: join(dir, "data"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts the server and resolves once it logs the address it listens on.
 * `port` 0 takes any free port; pass the old port to restart on the same origin.
 */
export async function startServer({ site, data, port = 0 }) {
  const proc = spawn(SERVER_BIN, [], {
    env: { ...process.env, LEPTOS_SITE_ROOT: site, TILLIT_DATA_DIR: data, LEPTOS_SITE_ADDR: `127.0.0.1:${port}`, RUST_LOG: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  proc.stderr.on("data", (chunk) => (stderr += chunk));
  const addr = await new Promise((resolveAddr, reject) => {
    const lines = createInterface({ input: proc.stdout });
    lines.on("line", (line) => {
      const match = line.match(/listening addr=(\S+)/);
      if (match) resolveAddr(match[1]);
    });
    proc.on("exit", (code) => reject(new Error(`the server exited (${code}) before listening: ${stderr}`)));
  });
  const exited = new Promise((done) => proc.on("exit", done));
  return {
    url: `http://${addr}`,
    port: Number(addr.split(":").pop()),
    /** SIGTERM, and wait until the process is gone: nothing answers on the port after. */
    async stop() {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * How every test and bench starts Debian's Chromium (the benches' Lighthouse too).
 *
 * Desktop Chromium in new headless mode loads its omnibox popup, a page of its own UI
 * (`chrome://omnibox-popup.top-chrome`, about 370 requests and 0.6 s of a renderer's CPU),
 * in a second renderer each time a tab opens. On these two-core machines it ran beside the
 * page under test and took a core from it: the plan with 200 items measured 279 ms with it
 * and 169 without (903 and 494 at 4×), the same build, the same machine. A phone's browser
 * does no such thing, so the benches and tests turn it off.
 */
export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
];

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
}

/**
 * Gives a test file its own site copy, server and browser, started before its tests and
 * stopped after them. A test that restarts the server stores the new one in `env.server`,
 * so the one running at the end is the one stopped.
 */
export function suite() {
  const env = { ws: null, server: null, browser: null };
  before(async () => {
    env.ws = workspace();
    env.server = await startServer(env.ws);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
    env.ws?.remove();
  });
  return env;
}

/** Waits until the app has hydrated: the wasm is running and clicks do something. */
export async function hydrated(page) {
  await page.locator("body[data-hydrated]").waitFor({ state: "attached", timeout: 20_000 });
}

/** Waits until the service worker is active and controls this page (offline from here on). */
export async function controlledByWorker(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === "activated", null, { timeout: 30_000 });
}

export async function heading(page) {
  return (await page.locator("h1").textContent()).trim();
}

/** Waits until the page's main heading is `text` (reactive updates land asynchronously). */
export async function headingIs(page, text) {
  await page.locator("h1", { hasText: text }).first().waitFor({ timeout: 10_000 });
}

/** Runs axe on the page and fails with a readable list of the violations. */
export async function assertAccessible(page, label) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const found = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  if (found.length > 0) {
    throw new Error(`axe found ${found.length} violation(s) on ${label}:\n${found.join("\n")}`);
  }
}

/** The "Nytt punkt" field of a plan section, opening its "+ Legg til et punkt" first (the
 * add forms are folded away to keep the plan short). */
export async function newItemField(section) {
  const field = section.getByLabel("Nytt punkt");
  if (!(await field.isVisible())) await section.locator("details.add-item-toggle > summary").click();
  return field;
}

/** Waits until the plan page has drawn all of the plan. It is drawn in five browser tasks,
 * top to bottom (`ui::later_view::in_turn`); its tools (print, settings) come in the last. */
export async function planDrawn(page) {
  await page.locator(".plan-tools").waitFor({ state: "attached", timeout: 20_000 });
}

/** Opens the plan at `url` and waits until all of it is drawn: what a test counts as absent
 * must have had its chance to be drawn. */
export async function openPlan(page, url) {
  await page.goto(url + "/");
  await hydrated(page);
  await planDrawn(page);
}

/** A plan section, found by its heading. */
export const planSection = (page, name) =>
  page.locator("section.plan-section", { has: page.getByRole("heading", { level: 2, name, exact: true }) });

/** Adds an item to a plan section and waits until it is shown. */
export async function addItem(page, sectionName, text) {
  const s = planSection(page, sectionName);
  await (await newItemField(s)).fill(text);
  await s.getByRole("button", { name: "Legg til", exact: true }).click();
  await s.locator(".item-text", { hasText: text }).waitFor();
}
