#!/usr/bin/env node
// Where a wasm file's bytes go: its code by crate and its biggest functions, read from the
// function bodies and the `name` section (so run it on a file that still has names: the
// split step's output before wasm-opt, or `target/wasm32-unknown-unknown/wasm-release/app.wasm`
// itself). The split step's output, with names, after `scripts/build`:
//   target/tools/release/tillit-wasm-split target/wasm32-unknown-unknown/wasm-release/app.wasm \
//     /tmp/split ./m.js ./l.js
// (/tmp/split/__wasm_split_manifest.json says which files each split point loads).
//
//   node scripts/wasm-sizes.mjs FILE.wasm [--top N] [--grep TEXT]
//
// Sizes are raw body bytes (what brotli then shrinks by about 3×); data segments are
// reported as one line, since every string and table lives there whatever code uses it.
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--") && !/^\d+$/.test(a));
const top = Number(args[args.indexOf("--top") + 1]) || 25;
const grep = args.includes("--grep") ? args[args.indexOf("--grep") + 1] : null;
if (!file) {
  console.error("usage: node scripts/wasm-sizes.mjs FILE.wasm [--top N] [--grep TEXT]");
  process.exit(2);
}
const bytes = readFileSync(file);

let pos = 8;
const u32 = () => {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return result;
  }
};
const name = () => {
  const len = u32();
  const text = bytes.subarray(pos, pos + len).toString("utf8");
  pos += len;
  return text;
};

let imported = 0;
const bodies = [];
const names = new Map();
const sections = {};
while (pos < bytes.length) {
  const id = bytes[pos++];
  const size = u32();
  const end = pos + size;
  if (id === 2) {
    // Imports: functions among them shift the function index space.
    for (let n = u32(); n > 0; n--) {
      name();
      name();
      const kind = bytes[pos++];
      if (kind === 0) {
        u32();
        imported++;
      } else if (kind === 1) {
        pos++;
        const flags = u32();
        u32();
        if (flags & 1) u32();
      } else if (kind === 2) {
        const flags = u32();
        u32();
        if (flags & 1) u32();
      } else if (kind === 3) {
        pos += 2;
      } else {
        u32();
      }
    }
  } else if (id === 10) {
    for (let n = u32(), i = 0; i < n; i++) {
      const len = u32();
      bodies.push(len);
      pos += len;
    }
  } else if (id === 0) {
    const section = name();
    if (section === "name") {
      while (pos < end) {
        const sub = bytes[pos++];
        const subSize = u32();
        const subEnd = pos + subSize;
        if (sub === 1) {
          for (let n = u32(); n > 0; n--) {
            const index = u32();
            names.set(index, name());
          }
        }
        pos = subEnd;
      }
    }
    sections[`custom ${section}`] = size;
  }
  sections[id] = (sections[id] ?? 0) + size;
  pos = end;
}

/** The crate a (legacy-mangled) symbol belongs to: its first path segment, or for an impl
 *  (`_<impl Trait for Type>`) the crate of the type. */
function crateOf(symbol) {
  const m = /^_ZN(.*)$/.exec(symbol);
  if (!m) return symbol.startsWith("__wbg") || symbol.startsWith("__wbindgen") ? "wasm-bindgen glue" : "(other)";
  const first = /^(\d+)/.exec(m[1]);
  if (!first) return "(other)";
  const segment = m[1].slice(first[1].length, first[1].length + Number(first[1]));
  if (!segment.startsWith("_$LT$")) return segment;
  const inner = segment.replace(/^_\$LT\$/, "").replace(/\$RF\$|\$BP\$|\$u20\$|mut\$u20\$|\$LP\$|\$RP\$|\$u5b\$|\$C\$/g, " ").trim();
  const path = inner.split(/\s|\.\./).find((part) => /^[a-z_][a-z0-9_]*$/.test(part) && !["impl", "for", "dyn", "mut", "as"].includes(part));
  return path ?? "(impl)";
}

const total = bodies.reduce((a, b) => a + b, 0);
const byCrate = new Map();
const functions = bodies.map((size, i) => {
  const symbol = names.get(i + imported) ?? `#${i + imported}`;
  const crate = crateOf(symbol);
  byCrate.set(crate, (byCrate.get(crate) ?? 0) + size);
  return { size, symbol, crate };
});

const kib = (n) => (n / 1024).toFixed(1).padStart(7);
console.log(`${file}: ${kib(bytes.length)} KiB raw; code ${kib(total)} KiB in ${bodies.length} functions; data ${kib(sections[11] ?? 0)} KiB`);
if (names.size === 0) console.log("(no name section: run it on a file before wasm-opt)");
console.log("\ncode by crate:");
for (const [crate, size] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${kib(size)} KiB ${((100 * size) / total).toFixed(1).padStart(5)} %  ${crate}`);
}
const shown = grep ? functions.filter((f) => f.symbol.includes(grep)) : functions;
console.log(`\nbiggest functions${grep ? ` matching ${grep} (${shown.length}, ${kib(shown.reduce((a, f) => a + f.size, 0))} KiB)` : ""}:`);
for (const f of shown.sort((a, b) => b.size - a.size).slice(0, top)) {
  console.log(`${kib(f.size)} KiB  ${f.symbol.slice(0, 160)}`);
}
