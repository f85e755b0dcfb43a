// The size budget (issue 13): what the first visit of a route downloads before it is
// interactive, brotli, as served by this build. Bytes are the same for the same commit, so
// this cannot flake; it fails when a change puts a page over its budget, and says where
// the bytes went. scripts/bench prints the same figures for every route.

import { test } from "node:test";
import assert from "node:assert/strict";
import { ROUTES, suite } from "./harness.mjs";
import { criticalFiles, KiB } from "./critical.mjs";

/** KiB, brotli: the crisis screen must come fastest; every other page within 200. */
const BUDGET = { "/krise": 150, default: 200 };

const env = suite();

test("every route's first load stays within its budget", async () => {
  const over = [];
  for (const route of ROUTES) {
    const files = await criticalFiles(env.browser, env.server.url, route.path);
    const total = KiB(files.reduce((sum, f) => sum + f.brotli, 0));
    const budget = BUDGET[route.path] ?? BUDGET.default;
    const short = (p) => p.replace(/^\/pkg\//, "").replace(/\.[0-9a-f]{16}\./, ".").replace(/_\d{10,}/, "");
    const list = files.map((f) => `${short(f.path)} ${KiB(f.brotli).toFixed(1)}`).join(", ");
    console.log(`${route.path}: ${total.toFixed(1)} KiB of ${budget} (${list})`);
    assert.ok(files.some((f) => f.path.endsWith(".wasm")), `${route.path} loaded no wasm: the count would be wrong`);
    if (total > budget) over.push(`${route.path}: ${total.toFixed(1)} KiB > ${budget} KiB (${list})`);
  }
  assert.deepEqual(over, [], "routes over their budget");
});
