// Lighthouse (npm `lighthouse`, its default mobile preset with simulated throttling) on `/`
// and on the crisis screen, against the server given by TILLIT_SERVER_BIN, in Debian's
// Chromium. Prints the category scores and LCP/TBT; measured, not asserted (targets:
// performance ≥ 0.98, accessibility and best practices 1.0).

import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { workspace, startServer } from "../tests/harness.mjs";

const ws = workspace();
const server = await startServer(ws);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  console.log(`\nLighthouse, mobile preset (targets: performance ≥ 0.98, accessibility 1.0, best practices 1.0)`);
  console.log(`${"route".padEnd(10)}${"perf".padStart(6)}${"a11y".padStart(6)}${"best".padStart(6)}${"LCP ms".padStart(9)}${"TBT ms".padStart(9)}${"FCP ms".padStart(9)}`);
  for (const path of ["/", "/krise"]) {
    const result = await lighthouse(server.url + path, {
      port: chrome.port, output: "json", logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices"],
    });
    const { categories: c, audits: a } = result.lhr;
    const ms = (id) => Math.round(a[id].numericValue).toString().padStart(9);
    console.log(`${path.padEnd(10)}${c.performance.score.toFixed(2).padStart(6)}${c.accessibility.score.toFixed(2).padStart(6)}${c["best-practices"].score.toFixed(2).padStart(6)}${ms("largest-contentful-paint")}${ms("total-blocking-time")}${ms("first-contentful-paint")}`);
    for (const [id, audit] of Object.entries(a)) {
      if (audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === "binary") console.log(`    not passed: ${id}`);
    }
  }
} finally {
  chrome.kill();
  await server.stop();
  ws.remove();
}
