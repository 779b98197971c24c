/**
 * The project's tsconfig as the compiler's resolver applies it: `paths` and
 * `baseUrl` through `extends` chains (relative files, packages' configs, lists),
 * in TypeScript's order and with TypeScript's base directories.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nodeResolver } from "../plugin/index.ts";

let root = "";
const write = (rel: string, text: string) => {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
};
const tsconfig = (rel: string, json: object) => write(rel, JSON.stringify(json));
/** What each specifier resolves to from src/flow.ts, relative to the root. */
const resolveAll = (...specifiers: string[]) => {
  const r = nodeResolver(root);
  return specifiers.map((s) => {
    const file = r.resolve(s, join(root, "src/flow.ts"));
    return file && relative(root, file);
  });
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cairn-tsconfig-"));
  for (const rel of ["src/lib/greet.ts", "src/shared/util.ts", "shared/util.ts", "libs/a/index.ts", "config/mapped/x.ts"]) write(rel, "export {};\n");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("tsconfig resolution", () => {
  it("baseUrl alone resolves bare specifiers under it; packages and missing files stay null", () => {
    tsconfig("tsconfig.json", { compilerOptions: { baseUrl: "src" } });
    expect(resolveAll("lib/greet", "shared/util.js", "lib/missing", "zod")).toEqual(["src/lib/greet.ts", "src/shared/util.ts", null, null]);
  });

  it("paths come before baseUrl, and are relative to baseUrl when it is set", () => {
    tsconfig("tsconfig.json", { compilerOptions: { baseUrl: ".", paths: { "shared/*": ["src/shared/*"] } } });
    expect(resolveAll("shared/util", "libs/a")).toEqual(["src/shared/util.ts", "libs/a/index.ts"]);
  });

  it("paths from an extended config are relative to that config, or to a baseUrl set later in the chain", () => {
    // Without baseUrl, TypeScript takes relative targets only (TS5090), relative to the config that set them.
    tsconfig("config/base.json", { compilerOptions: { paths: { "@m/*": ["./mapped/*"], "@libs/*": ["../libs/*"] } } });
    tsconfig("tsconfig.json", { extends: "./config/base" });
    expect(resolveAll("@m/x", "@libs/a")).toEqual(["config/mapped/x.ts", "libs/a/index.ts"]);
    tsconfig("tsconfig.json", { extends: "./config/base.json", compilerOptions: { baseUrl: "config" } });
    expect(resolveAll("@m/x", "@libs/a")).toEqual(["config/mapped/x.ts", "libs/a/index.ts"]);
    tsconfig("tsconfig.json", { extends: "./config/base.json", compilerOptions: { baseUrl: "." } });
    expect(resolveAll("@m/x", "@libs/a")).toEqual([null, null]);
  });

  it("extends takes a list (later entries win) and packages' configs", () => {
    write("node_modules/@acme/tsconfig/base.json", JSON.stringify({ compilerOptions: { paths: { "@libs/*": ["../../../libs/*"] } } }));
    tsconfig("first.json", { compilerOptions: { paths: { "@libs/*": ["nowhere/*"] } } });
    tsconfig("tsconfig.json", { extends: ["./first.json", "@acme/tsconfig/base.json"] });
    expect(resolveAll("@libs/a")).toEqual(["libs/a/index.ts"]);
    tsconfig("tsconfig.json", { extends: ["@acme/tsconfig/base.json", "./first.json"] });
    expect(resolveAll("@libs/a")).toEqual([null]);
    tsconfig("tsconfig.json", { extends: ["./first.json", "@acme/tsconfig/base"], compilerOptions: { baseUrl: "src" } });
    expect(resolveAll("@libs/a", "lib/greet")).toEqual([null, "src/lib/greet.ts"]);
  });
});
