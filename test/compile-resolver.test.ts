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
  write("src/lib/greet.ts", `import { action } from "cairn";
export const greet = action(async function greet(name: string): Promise<string> { return "hi " + name; });`);
  write("src/lib/index.ts", `export { greet as hello } from "./greet.js";\nexport * from "./errors";`);
  write("src/lib/errors/index.ts", `export class GreetError extends Error {}`);
  write("src/flows/main.ts", `import { workflow } from "cairn";
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
    expect(r.resolve("cairn", from)).toBe(null);
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
