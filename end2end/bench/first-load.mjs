// Prints what a first visit costs (issue 13), measured on this build as the server sends it:
// - per route: the critical bytes (HTML + CSS + JS + every wasm file fetched before the
//   page is interactive, service worker blocked; brotli) and which files they are;
// - per JS and wasm file of the build: raw and brotli bytes;
// - the service worker's whole precache (every route's HTML and every file; brotli);
// - the clinician pages' bytes (HTML and their stylesheet; brotli).

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROUTES, workspace, startServer, launchBrowser } from "../tests/harness.mjs";
import { criticalFiles, brotliBytes, precacheBytes, KiB } from "../tests/critical.mjs";

const BUDGET = { "/krise": 150, default: 200 };
const kib = (n) => KiB(n).toFixed(1).padStart(8);
const ws = workspace();
const server = await startServer(ws);
const browser = await launchBrowser();
try {
  console.log(`\ncritical bytes of a first visit, brotli, service worker blocked (KiB)`);
  for (const route of ROUTES) {
    const files = await criticalFiles(browser, server.url, route.path);
    const total = files.reduce((sum, f) => sum + f.brotli, 0);
    const budget = BUDGET[route.path] ?? BUDGET.default;
    const names = files.map((f) => `${f.path.replace(/^\/pkg\//, "").replace(/\.[0-9a-f]{16}\./, ".")} ${KiB(f.brotli).toFixed(1)}`);
    console.log(`${route.path.padEnd(15)}${kib(total)}  (budget ${budget})  ${names.join(", ")}`);
  }

  console.log(`\nevery JS and wasm file of the build (KiB)\n${"file".padEnd(58)}${"raw".padStart(8)}${"brotli".padStart(8)}`);
  const pkg = join(ws.site, "pkg");
  const code = readdirSync(pkg).filter((n) => /\.(js|wasm)$/.test(n));
  code.sort((a, b) => statSync(join(pkg, b)).size - statSync(join(pkg, a)).size);
  let raw = 0, br = 0;
  for (const name of code) {
    const size = statSync(join(pkg, name)).size;
    const compressed = statSync(join(pkg, `${name}.br`)).size;
    raw += size; br += compressed;
    console.log(`${name.padEnd(58)}${kib(size)}${kib(compressed)}`);
  }
  console.log(`${`all ${code.length} files`.padEnd(58)}${kib(raw)}${kib(br)}`);

  // The clinician pages (issue 12) are server-rendered HTML and one stylesheet: no JS, no
  // wasm, nothing in the phone's bundle or the worker's precache.
  console.log(`\nthe clinician pages, brotli (KiB): no JS, no wasm`);
  for (const path of ["/behandler/logg-inn", "/behandler/stil.css"]) {
    console.log(`${path.padEnd(24)}${kib(await brotliBytes(server.url, path))}`);
  }

  const precache = await precacheBytes(server.url);
  console.log(`\nservice worker precache: ${precache.count} files and pages, ${KiB(precache.bytes).toFixed(1)} KiB brotli (target ≤ 650 KiB)`);
} finally {
  await browser.close();
  await server.stop();
  ws.remove();
}
