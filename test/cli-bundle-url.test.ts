/**
 * How `cairn worker` imports a built bundle: an ES module in a `.js` file whose
 * package.json has no "type" gets the mark that makes the CLI's loaders take it
 * (and its chunks) as an ES module, as Node itself would by its syntax; every
 * other bundle is imported by its plain URL.
 */
import { pathToFileURL } from "node:url";
import { afterAll, expect, test } from "vitest";
import { ESM_MARK, bundleImportUrl } from "../cli/bundle-url.ts";
import { tempProject } from "./cli-harness.ts";

const project = tempProject("outside", {
  "typeless/esm.js": `import { x } from "./chunk.js";\nexport const y = x;\n`,
  "typeless/meta.js": `export const here = import.meta.url;\n`,
  "typeless/cjs.js": `const x = require("./chunk.js");\nmodule.exports = { y: x };\n`,
  "typeless/esm.mjs": `export const y = 1;\n`,
  "module/package.json": `{ "type": "module" }\n`,
  "module/esm.js": `export const y = 1;\n`,
  "commonjs/package.json": `{ "type": "commonjs" }\n`,
  "commonjs/esm.js": `export const y = 1;\n`,
});
afterAll(() => project.cleanup());

test("only an ES module in a typeless .js is marked", () => {
  const url = (rel: string) => bundleImportUrl(`${project.dir}/${rel}`);
  const plain = (rel: string) => pathToFileURL(`${project.dir}/${rel}`).href;
  expect(url("typeless/esm.js")).toBe(`${plain("typeless/esm.js")}?${ESM_MARK}`);
  expect(url("typeless/meta.js")).toBe(`${plain("typeless/meta.js")}?${ESM_MARK}`);
  expect(url("typeless/cjs.js")).toBe(plain("typeless/cjs.js"));
  expect(url("typeless/esm.mjs")).toBe(plain("typeless/esm.mjs"));
  expect(url("module/esm.js")).toBe(plain("module/esm.js"));
  // Node itself would fail on this one, and so does the worker: its package says CommonJS.
  expect(url("commonjs/esm.js")).toBe(plain("commonjs/esm.js"));
});
