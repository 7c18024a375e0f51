// Builds the page template: bundles src/main.js (with PKI.js, asn1js and pdf.js) into one
// inline script of page.html. Usage: node build.mjs NODE_MODULES_DIR OUT.html
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const [modules, out] = process.argv.slice(2);
// esbuild lives in the build tree's node_modules, not beside this file.
const { build } = createRequire(join(modules, "x.js"))("esbuild");
const result = await build({
  nodePaths: [modules],
  entryPoints: [join(here, "src/main.js")],
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "chrome100",
  minify: true,
  legalComments: "inline",
  write: false,
  // pdf.js's Node.js code paths (canvas, fs, http) are never taken in a browser.
  external: ["canvas", "fs", "http", "https", "url", "zlib", "path2d-polyfill"],
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
});
let js = result.outputFiles[0].text;
// The bundle sits inside <script>: no "</script" may appear in it.
js = js.replace(/<\/script/gi, "<\\/script");
const page = readFileSync(join(here, "page.html"), "utf8");
const [before, after] = page.split("@@KESU_BUNDLE@@");
writeFileSync(out, before + js + after);
