/**
 * Workspace packages: actions and error classes imported by package name from
 * the user's own packages, linked into node_modules (npm, yarn and pnpm
 * workspaces), are followed to their TypeScript source; installed packages never are.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile, nodeResolver } from "../plugin/index.ts";
import { linkedWorkspacePackages } from "../plugin/resolve/workspace-package.ts";

let root = "";
const write = (rel: string, text: string) => {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
};
/** `node_modules/<name>` in `at`, linked to `target` (relative links, as package managers make them). */
const link = (at: string, name: string, target: string) => {
  const path = join(root, at, "node_modules", name);
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(relative(dirname(path), join(root, target)), path, "dir");
};
const ACTION = (name: string) =>
  `import { action } from "cairnjs";\nexport const ${name} = action(async function ${name}(n: number): Promise<number> { return n; });\n`;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "cairn-workspace-"));
  write("package.json", JSON.stringify({ private: true, workspaces: ["apps/*", "packages/*"] }));
  write("apps/web/package.json", JSON.stringify({ name: "web", type: "module" }));
  // Source behind `types`, built output behind `import`; a subpath; a pattern.
  write("packages/actions/package.json", JSON.stringify({
    name: "@acme/actions",
    exports: {
      ".": { types: "./src/index.ts", import: "./dist/index.js" },
      "./billing": "./src/billing.js",
      "./*": "./src/*.ts",
      "./tasks/*": { default: "./src/jobs/*.ts" },
    },
  }));
  write("packages/actions/src/index.ts", `${ACTION("double")}export class Declined extends Error {}\n`);
  write("packages/actions/src/billing.ts", ACTION("charge"));
  write("packages/actions/src/jobs/mail.ts", ACTION("mail"));
  // No exports: `main` names the source.
  write("packages/legacy/package.json", JSON.stringify({ name: "legacy", main: "src/main.ts" }));
  write("packages/legacy/src/main.ts", ACTION("legacyAction"));
  // Exports that name only built JavaScript and declarations: the JavaScript is read (declarations hold no action).
  write("packages/built/package.json", JSON.stringify({ name: "built", exports: { types: "./dist/index.d.ts", default: "./dist/index.js" } }));
  write("packages/built/dist/index.d.ts", "export declare const built: (n: number) => Promise<number>;\n");
  write("packages/built/dist/index.js", `import { action } from "cairnjs";\nexport const built = action(async function built(n) { return n; });\n`);
  // Built output named before the source: the source is still what is read.
  write("packages/jsfirst/package.json", JSON.stringify({ name: "jsfirst", exports: { import: "./dist/index.js", types: "./src/index.ts" } }));
  write("packages/jsfirst/dist/index.js", "export const x = 1;\n");
  write("packages/jsfirst/src/index.ts", "export const x: number = 1;\n");
  link("", "jsfirst", "packages/jsfirst");
  link("", "@acme/actions", "packages/actions");
  link("", "legacy", "packages/legacy");
  link("", "built", "packages/built");
  // An installed package, and a pnpm-style link into the store: both under node_modules.
  write("node_modules/installed/package.json", JSON.stringify({ name: "installed", main: "index.ts" }));
  write("node_modules/installed/index.ts", ACTION("installed"));
  write("node_modules/.pnpm/stored@1.0.0/node_modules/stored/package.json", JSON.stringify({ name: "stored", main: "index.ts" }));
  write("node_modules/.pnpm/stored@1.0.0/node_modules/stored/index.ts", ACTION("stored"));
  link("apps/web", "stored", "node_modules/.pnpm/stored@1.0.0/node_modules/stored");
  link("", "cairnjs", "packages/actions");
  // A link that loops: neither followed nor fatal.
  symlinkSync("loop", join(root, "node_modules/loop"), "dir");
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("workspace packages", () => {
  it("resolve to their source through exports (any condition, subpaths, patterns) or main: TypeScript, else JavaScript, never declarations", () => {
    const r = nodeResolver(join(root, "apps/web"));
    const from = join(root, "apps/web/src/flow.ts");
    const resolved = ["@acme/actions", "@acme/actions/billing", "@acme/actions/tasks/mail", "@acme/actions/tasks/none", "@acme/actions/other", "legacy", "built", "jsfirst"].map(
      (s) => r.resolve(s, from),
    );
    expect(resolved.map((f) => f && relative(root, f))).toEqual([
      "packages/actions/src/index.ts", "packages/actions/src/billing.ts", "packages/actions/src/jobs/mail.ts", null, null, "packages/legacy/src/main.ts",
      "packages/built/dist/index.js", "packages/jsfirst/src/index.ts",
    ]);
  });

  it("installed packages, pnpm's store, cairn itself and a link loop resolve to null", () => {
    const r = nodeResolver(join(root, "apps/web"));
    const from = join(root, "apps/web/src/flow.ts");
    expect(["installed", "stored", "cairnjs", "cairnjs/runtime", "missing", "@acme", "@acme/../x", "loop"].map((s) => r.resolve(s, from))).toEqual(
      [null, null, null, null, null, null, null, null],
    );
  });

  it("compiles a workflow whose actions and error class come from a workspace package", () => {
    const file = join(root, "apps/web/src/flow.ts");
    const source = `import { workflow } from "cairnjs";
import { double, Declined } from "@acme/actions";
import { charge } from "@acme/actions/billing";
import { legacyAction } from "legacy";
import { built } from "built";
export const pay = workflow(async function pay(n: number) {
  try {
    return await charge(await double(await legacyAction(await built(n))));
  } catch (e) {
    if (e instanceof Declined) return null;
    throw e;
  }
});
`;
    const result = compile(source, file, nodeResolver(join(root, "apps/web")));
    expect(result.diagnostics).toEqual([]);
    expect(result.workflows.map((w) => [w.source, w.actions, w.errors])).toEqual([["src/flow.ts", ["built", "charge", "double", "legacyAction"], ["Declined"]]]);
  });

  it("a call into an installed package or a Node module is rejected, saying where it comes from", () => {
    const file = join(root, "apps/web/src/flow.ts");
    const source = `import { workflow } from "cairnjs";\nimport { installed } from "installed";\nimport { readFileSync } from "node:fs";\nexport const w = workflow(async function w() {\n  return [await installed(1), readFileSync("x")];\n});\n`;
    const result = compile(source, file, nodeResolver(join(root, "apps/web")));
    expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      '5:17 CAIRN101 `installed(1)` (imported from "installed", a package the compiler does not read) is not an action, a cairn primitive or a documented pure builtin',
      '5:31 CAIRN101 `readFileSync("x")` (imported from Node\'s "node:fs" module) is not an action, a cairn primitive or a documented pure builtin',
    ]);
  });

  it("are listed from any folder below their links (what `cairn dev` watches), without installed packages or cairn", () => {
    const listed = linkedWorkspacePackages(join(root, "apps/web/src")).map((d) => relative(root, d));
    expect(listed.sort()).toEqual(["packages/actions", "packages/built", "packages/jsfirst", "packages/legacy"]);
  });
});
