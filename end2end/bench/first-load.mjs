// Prints the bytes of the first load of / — HTML, CSS, JS glue and wasm — raw, gzip and
// brotli, as the server sends them, and the total on the wire with brotli.

import http from "node:http";
import { workspace, startServer } from "../tests/harness.mjs";

/** The body bytes exactly as they cross the wire for this Accept-Encoding. */
function wireBytes(url, encoding) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { "accept-encoding": encoding } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ bytes: Buffer.concat(chunks), encoding: res.headers["content-encoding"] ?? "identity" }));
    }).on("error", reject);
  });
}

const ws = workspace();
const server = await startServer(ws);
try {
  const html = (await wireBytes(server.url + "/", "identity")).bytes.toString();
  const find = (re) => html.match(re)?.[1] ?? null;
  const resources = [
    ["HTML /", "/"],
    ["CSS", find(/href="(\/pkg\/[^"]+\.css)"/)],
    ["JS", find(/href="(\/pkg\/[^"]+\.js)"/)],
    ["wasm", find(/href="(\/pkg\/[^"]+\.wasm)"/)],
  ];
  const rows = [];
  for (const [label, path] of resources) {
    if (!path) throw new Error(`the page links no ${label}`);
    const row = { label };
    for (const [name, enc] of [["raw", "identity"], ["gzip", "gzip"], ["brotli", "br"]]) {
      const { bytes, encoding } = await wireBytes(server.url + path, enc);
      if (encoding !== enc) throw new Error(`${path} came as ${encoding}, not ${enc}`);
      row[name] = bytes.length;
    }
    rows.push(row);
  }
  const kb = (n) => (n / 1024).toFixed(1).padStart(8);
  console.log(`\nfirst load of / (KiB)\n${"".padEnd(8)}${"raw".padStart(8)}${"gzip".padStart(8)}${"brotli".padStart(8)}`);
  for (const r of rows) console.log(`${r.label.padEnd(8)}${kb(r.raw)}${kb(r.gzip)}${kb(r.brotli)}`);
  const total = (k) => rows.reduce((sum, r) => sum + r[k], 0);
  console.log(`${"total".padEnd(8)}${kb(total("raw"))}${kb(total("gzip"))}${kb(total("brotli"))}`);
  const jsWasm = rows.filter((r) => r.label === "JS" || r.label === "wasm").reduce((s, r) => s + r.brotli, 0);
  console.log(`\nwasm + JS, brotli: ${(jsWasm / 1024).toFixed(1)} KiB; everything on the wire (brotli): ${(total("brotli") / 1024).toFixed(1)} KiB (budget 150 KB = ${(150000 / 1024).toFixed(1)} KiB)`);
} finally {
  await server.stop();
  ws.remove();
}
