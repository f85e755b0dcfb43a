// Gives every file in STAGE/pkg a content hash in its name (the server serves /pkg/ as
// immutable for a year), rewrites the references between the files, and writes hash.txt,
// which the server and Leptos's HydrationScripts read.
//
//   node scripts/hash-site.mjs STAGE ./MAIN_JS_PLACEHOLDER ./LOADER_PLACEHOLDER [CRISIS_DIR]
//
// - chunks (every wasm but the main one): hashed on their own bytes; the loader fetches
//   them as "./NAME.wasm" and the manifest names their stems, both rewritten;
// - the main JS and the split loader import each other (by the placeholders scripts/build
//   gave them), so they get one hash over both contents, put into both names;
// - the main wasm and the CSS: their own bytes; the manifest: its own bytes after rewriting;
// - the crisis screen's module (CRISIS_DIR: crisis.js, crisis_bg.wasm), each on its own
//   bytes, moved into pkg/ (the page passes the wasm's name to the JS: no reference to fix).
//
// hash.txt: `js`, `wasm`, `css`, `split` and `manifest` when the app has lazy parts,
// `crisis-js` and `crisis-wasm` with the crisis module.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [stage, mainPlaceholder, loaderPlaceholder, crisisDir] = process.argv.slice(2);
if (!loaderPlaceholder) throw new Error("usage: hash-site.mjs STAGE MAIN_JS_PLACEHOLDER LOADER_PLACEHOLDER");
const pkg = join(stage, "pkg");
const hash = (...parts) => {
  const digest = createHash("sha256");
  for (const part of parts) digest.update(part);
  return digest.digest("hex").slice(0, 16);
};
const read = (name) => readFileSync(join(pkg, name));
const replaceAll = (text, from, to) => text.split(from).join(to);

const MAIN_JS = "tillit.js";
const MAIN_WASM = "tillit_bg.wasm";
const CSS = "tillit.css";
const MANIFEST = "__wasm_split_manifest.json";
const names = readdirSync(pkg);
const loaderName = loaderPlaceholder.replace(/^\.\//, "");
const hasLoader = names.includes(loaderName);

// Chunks first: the loader and the manifest name them.
const chunks = new Map(); // stem → hashed stem
for (const name of names.filter((n) => n.endsWith(".wasm") && n !== MAIN_WASM)) {
  const stem = name.slice(0, -".wasm".length);
  const hashed = `${stem}.${hash(read(name))}`;
  renameSync(join(pkg, name), join(pkg, `${hashed}.wasm`));
  chunks.set(stem, hashed);
}

let mainJs = read(MAIN_JS).toString();
let loader = hasLoader ? read(loaderName).toString() : "";
for (const [stem, hashed] of chunks) {
  const before = `"./${stem}.wasm"`;
  if (!loader.includes(before)) throw new Error(`the split loader never fetches ${stem}.wasm`);
  loader = replaceAll(loader, before, `"./${hashed}.wasm"`);
}
const js = hash(mainJs, loader);
const mainFile = `tillit.${js}.js`;
const loaderFile = `__wasm_split.${js}.js`;
// Only the `import … from "…"` lines: the wasm's own import section names the loader by the
// placeholder, and the JS keys its imports object by that same name, which must stay.
for (const [placeholder, file] of [[mainPlaceholder, mainFile], [loaderPlaceholder, loaderFile]]) {
  for (const quote of ['"', "'"]) {
    mainJs = replaceAll(mainJs, `from ${quote}${placeholder}${quote}`, `from ${quote}./${file}${quote}`);
    loader = replaceAll(loader, `from ${quote}${placeholder}${quote}`, `from ${quote}./${file}${quote}`);
  }
}
if (hasLoader && !mainJs.includes(loaderFile)) throw new Error("the main JS does not import the split loader");
if (hasLoader && !loader.includes(mainFile)) throw new Error("the split loader does not import the main JS");
writeFileSync(join(pkg, mainFile), mainJs);
rmSync(join(pkg, MAIN_JS));
if (hasLoader) {
  writeFileSync(join(pkg, loaderFile), loader);
  rmSync(join(pkg, loaderName));
}

const wasm = hash(read(MAIN_WASM));
renameSync(join(pkg, MAIN_WASM), join(pkg, `tillit.${wasm}.wasm`));
const css = hash(read(CSS));
renameSync(join(pkg, CSS), join(pkg, `tillit.${css}.css`));

const lines = [`js: ${js}`, `wasm: ${wasm}`, `css: ${css}`];
if (names.includes(MANIFEST)) {
  const manifest = JSON.parse(read(MANIFEST).toString());
  for (const [split, stems] of Object.entries(manifest)) {
    manifest[split] = stems.map((stem) => {
      if (!chunks.has(stem)) throw new Error(`the manifest names ${stem}, which the split did not write`);
      return chunks.get(stem);
    });
  }
  // Sorted by the split tool; JSON.parse keeps that order.
  const text = JSON.stringify(manifest, null, 2);
  const manifestHash = hash(text);
  writeFileSync(join(pkg, `__wasm_split_manifest.${manifestHash}.json`), text);
  rmSync(join(pkg, MANIFEST));
  lines.push(`split: ${js}`, `manifest: ${manifestHash}`);
}
if (crisisDir) {
  for (const [file, kind, suffix] of [["crisis.js", "crisis-js", "js"], ["crisis_bg.wasm", "crisis-wasm", "wasm"]]) {
    const bytes = readFileSync(join(crisisDir, file));
    const fileHash = hash(bytes);
    writeFileSync(join(pkg, `crisis.${fileHash}.${suffix}`), bytes);
    rmSync(join(crisisDir, file));
    lines.push(`${kind}: ${fileHash}`);
  }
}
writeFileSync(join(stage, "hash.txt"), lines.join("\n") + "\n");
console.error(`hashed: main ${mainFile}, ${chunks.size} chunks`);
