// What a first visit of a route costs: the HTML, CSS, JS and every wasm file the browser
// fetches before the page is interactive (hydrated), with the service worker blocked so
// nothing comes from a cache; each file counted once, as the server sends it with brotli.
// Used by the size budget test (budget.test.mjs) and by scripts/bench (bench/first-load.mjs).

import http from "node:http";
import { PHONE, hydrated } from "./harness.mjs";

/** The body bytes exactly as they cross the wire for this Accept-Encoding. */
export function wireBytes(url, encoding) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { "accept-encoding": encoding } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ bytes: Buffer.concat(chunks), encoding: res.headers["content-encoding"] ?? "identity" }));
    }).on("error", reject);
  });
}

/** Brotli bytes of one path as served (the server must answer with brotli). */
export async function brotliBytes(base, path) {
  const { bytes, encoding } = await wireBytes(base + path, "br");
  if (encoding !== "br") throw new Error(`${path} came as ${encoding}, not brotli`);
  return bytes.length;
}

/**
 * Loads `path` in a fresh context with service workers blocked, waits until it has
 * hydrated, and returns the files whose fetch started before the app marked itself
 * hydrated (`performance.mark("tillit:hydrated")`, see app/src/perf.rs): the HTML, and the
 * CSS, JS and wasm files, [{ path, brotli }] in the order they were asked for. What the
 * app fetches after that (the plan's reading code, the sync engine) is not critical: the
 * page works before it arrives.
 */
export async function criticalFiles(browser, base, path) {
  const context = await browser.newContext({ ...PHONE, serviceWorkers: "block" });
  const page = await context.newPage();
  await page.goto(base + path);
  await hydrated(page);
  const origin = new URL(base).origin;
  const seen = await page.evaluate((origin) => {
    const hydratedAt = performance.getEntriesByName("tillit:hydrated")[0]?.startTime;
    if (hydratedAt === undefined) throw new Error("the app set no hydrated mark");
    return performance.getEntriesByType("resource")
      .filter((r) => r.startTime <= hydratedAt)
      .map((r) => new URL(r.name))
      .filter((u) => u.origin === origin && /\.(css|js|wasm)$/.test(u.pathname))
      .map((u) => u.pathname);
  }, origin);
  await context.close();
  const files = [{ path, brotli: await brotliBytes(base, path) }];
  for (const file of [...new Set(seen)]) files.push({ path: file, brotli: await brotliBytes(base, file) });
  return files;
}

/**
 * The service worker's precache as this server names it in `/sw.js` (every route's HTML and
 * every file of the build): how many entries, and their bytes as the server sends them
 * (brotli; the icons, which are not compressed, as they are).
 */
export async function precacheBytes(base) {
  const worker = (await wireBytes(base + "/sw.js", "identity")).bytes.toString();
  const precache = JSON.parse(worker.match(/const PRECACHE = (\[.*?\]);/)[1]);
  let bytes = 0;
  for (const path of precache) {
    bytes += await brotliBytes(base, path).catch(async () => (await wireBytes(base + path, "identity")).bytes.length);
  }
  return { count: precache.length, bytes };
}

export const KiB = (n) => n / 1024;
