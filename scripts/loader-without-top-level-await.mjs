// Rewrites Trunk's inline loader in the built index.html files so that it
// starts the wasm with `.then()` instead of a top-level `await`.
//
// Top-level await needs Chrome 89 / Safari 15; module scripts with
// `.then()` run from Chrome 61 / Safari 11, so the shop's floor becomes that
// of the wasm (Chrome 74 / Safari 14.1) and of wasm-bindgen's glue, which
// uses `?.` (Chrome 80 / Safari 13.1). Trunk is pinned (Trunk.toml), so the
// loader's text is known; if it ever changes, this fails the build rather
// than shipping a loader it did not check.
//
// usage: node scripts/loader-without-top-level-await.mjs dist/index.html …

import { readFileSync, writeFileSync } from 'node:fs';

const TRUNK_LOADER = /const wasm = await init\((\{[^}]*\})\);([\s\S]*?)<\/script>/;

for (const file of process.argv.slice(2)) {
  const html = readFileSync(file, 'utf8');
  const match = html.match(TRUNK_LOADER);
  if (!match) {
    console.error(`${file}: Trunk's loader (const wasm = await init(…)) not found; update ${import.meta.url}`);
    process.exit(1);
  }
  const [loader, initOptions, afterStart] = match;
  const rewritten = `init(${initOptions}).then((wasm) => {${afterStart}});</script>`;
  writeFileSync(file, html.replace(loader, rewritten));
  console.log(`${file}: the wasm starts without a top-level await`);
}
