// Bundles the BPMN editor and the instance diagram viewer into service/platform/web/static/editor/ (git-ignored).
// Run by `make run`, `make test` and the Dockerfile after `npm ci`; nothing is fetched at run time.
import { build } from "esbuild";
import { statSync } from "node:fs";

const outdir = "service/platform/web/static/editor";
await build({
  entryPoints: {
    modeler: "frontend/modeler.js",
    viewer: "frontend/viewer.js",
    forms: "frontend/forms.js",
    "modeler-style": "frontend/modeler.css",
    "viewer-style": "frontend/viewer.css",
  },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  outdir,
  loader: { ".woff": "file", ".woff2": "file", ".ttf": "file", ".eot": "file", ".svg": "file" },
  assetNames: "[name]-[hash]",
  legalComments: "linked",
  logLevel: "warning",
});
for (const name of ["modeler.js", "viewer.js", "modeler-style.css", "viewer-style.css"]) {
  console.log(`${outdir}/${name}: ${(statSync(`${outdir}/${name}`).size / 1024).toFixed(0)} KiB`);
}
