import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateArtifact } from "../ir-schema/index.ts";
import { compile, nodeResolver } from "../plugin/index.ts";

let root = "";
const write = (rel: string, text: string) => {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "cairn-resolver-"));
  write("tsconfig.json", `{
  // JSONC: comments and trailing commas are allowed
  "compilerOptions": {
    "baseUrl": ".",
    "paths": { "@lib/*": ["src/lib/*"], "@actions": ["src/lib/index.ts"], },
  },
}`);
  write("src/lib/greet.ts", `import { action } from "cairnjs";
export const greet = action(async function greet(name: string): Promise<string> { return "hi " + name; });`);
  write("src/lib/index.ts", `export { greet as hello } from "./greet.js";\nexport * from "./errors";`);
  write("src/lib/errors/index.ts", `export class GreetError extends Error {}`);
  write("src/flows/main.ts", `import { workflow } from "cairnjs";
import { hello, GreetError } from "@actions";
import { greet } from "@lib/greet";
export const main = workflow(async function main(name: string) {
  try { return [await hello(name), await greet(name)]; }
  catch (e) { if (e instanceof GreetError) return null; throw e; }
});`);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("nodeResolver", () => {
  it("resolves relative specifiers with .js/.ts/index probing and tsconfig paths; packages resolve to null", () => {
    const r = nodeResolver(root);
    const from = join(root, "src/flows/main.ts");
    expect(r.resolve("@actions", from)).toBe(join(root, "src/lib/index.ts"));
    expect(r.resolve("@lib/greet", from)).toBe(join(root, "src/lib/greet.ts"));
    expect(r.resolve("../lib/greet.js", from)).toBe(join(root, "src/lib/greet.ts"));
    expect(r.resolve("../lib/errors", from)).toBe(join(root, "src/lib/errors/index.ts"));
    expect(r.resolve("../lib/missing", from)).toBe(null);
    expect(r.resolve("cairnjs", from)).toBe(null);
    expect(r.read(join(root, "nope.ts"))).toBe(null);
  });

  it("compiles a workflow whose action is imported through a path alias and a re-export", () => {
    const file = join(root, "src/flows/main.ts");
    const r = nodeResolver(root);
    const result = compile(r.read(file) as string, file, r);
    expect(result.diagnostics).toEqual([]);
    const [artifact] = result.workflows;
    expect(validateArtifact(artifact).ok).toBe(true);
    expect(artifact.source).toBe("src/flows/main.ts");
    expect(artifact.actions).toEqual(["greet"]);
    expect(artifact.errors).toEqual(["GreetError"]);
    const calls = artifact.program.blocks.flatMap((b) => b.instrs).filter((i) => i.kind === "call");
    expect(calls.map((c) => c.loc)).toEqual(["src/flows/main.ts:5:23", "src/flows/main.ts:5:42"]);
    expect(result.actions).toEqual([{ name: "greet", file: join(root, "src/lib/greet.ts"), exportName: "greet" }]);
  });
});

describe("nodeResolver in a JavaScript project", () => {
  it("resolves .js/.mjs imports, extensionless ones and index.js, and compiles a workflow whose actions live in them", () => {
    write("js/package.json", `{ "type": "module" }`);
    write("js/actions.js", `import { action } from "cairnjs";\nexport const one = action(async function one(n) { return n + 1; });\n`);
    write("js/more.mjs", `import { action } from "cairnjs";\nexport const two = action(async function two(n) { return n + 2; });\n`);
    write("js/lib/index.js", `import { action } from "cairnjs";\nexport const three = action(async function three(n) { return n + 3; });\n`);
    // A TypeScript file of the same name wins, as TypeScript's ESM convention has it.
    write("js/both.js", `export const fromJs = 1;\n`);
    write("js/both.ts", `export const fromTs = 1;\n`);
    const file = join(root, "js/flow.js");
    const source = `import { workflow } from "cairnjs";
import { one } from "./actions.js";
import { two } from "./more.mjs";
import { three } from "./lib";
export const flow = workflow(async function flow(n) {
  return await three(await two(await one(n)));
});
`;
    const r = nodeResolver(root);
    expect(["./actions", "./actions.js", "./more.mjs", "./lib", "./both.js", "./missing.js"].map((s) => r.resolve(s, file))).toEqual([
      join(root, "js/actions.js"), join(root, "js/actions.js"), join(root, "js/more.mjs"), join(root, "js/lib/index.js"), join(root, "js/both.ts"), null,
    ]);
    const result = compile(source, file, r);
    expect(result.diagnostics).toEqual([]);
    expect(result.workflows.map((w) => w.actions)).toEqual([["one", "three", "two"]]);
  });
});
