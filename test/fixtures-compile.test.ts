/**
 * fixtures/compile/<name>/: workflows that use messages, published values and
 * child workflows. Each input.ts compiles without a diagnostic, deterministically,
 * to valid artifacts equal to its ir.json snapshot (every workflow of the file, in
 * source order); every child a workflow starts is listed in its artifact's
 * `workflows` and compiled in the same folder; and cases.json is well formed. The
 * cases are not run here: see fixtures/README.md ("compile/").
 *
 * Snapshots are rewritten only with UPDATE=1 (never in CI):
 *   UPDATE=1 npx vitest run test/fixtures-compile.test.ts
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { canonicalJson, serializeArtifact, validateArtifact, type Artifact } from "../ir-schema/index.ts";
import { formatDiagnostics, type CompileResult } from "../plugin/index.ts";
import { compileFile } from "./helpers/compiled.ts";
import { REPO_ROOT } from "./helpers/fixtures.ts";

const UPDATE = process.env.UPDATE === "1" && !process.env.CI;
const COMPILE_DIR = join(REPO_ROOT, "fixtures", "compile");
const dirs = readdirSync(COMPILE_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

/** Every module of a folder, compiled, by file name. */
function compileFolder(dir: string): Map<string, CompileResult> {
  const out = new Map<string, CompileResult>();
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".ts")).sort()) {
    const file = join(dir, name);
    const result = compileFile(file, readFileSync(file, "utf8"));
    if (result.diagnostics.length > 0) throw new Error(`${name}: ${formatDiagnostics(result.diagnostics, { cwd: REPO_ROOT })}`);
    out.set(name, result);
  }
  return out;
}

/** The workflow names of a program's `child` instructions. */
function childrenOf(artifact: Artifact): string[] {
  const names = new Set<string>();
  for (const b of artifact.program.blocks) for (const i of b.instrs) if (i.kind === "child") names.add(i.workflow);
  return [...names].sort();
}

/** What cases.json may hold: fixtures/README.md, plus the workflow to run and the messages to send it first. */
function checkCases(file: string, workflows: readonly string[]): void {
  const raw: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!Array.isArray(raw) || raw.length === 0) throw new Error(`${file}: expected a non-empty array of cases`);
  const names = new Set<string>();
  raw.forEach((c: Record<string, unknown>, i) => {
    const where = `${file}[${i}]`;
    const unknown = Object.keys(c).filter((k) => !["name", "workflow", "input", "messages", "result", "error"].includes(k));
    if (unknown.length) throw new Error(`${where}: unknown keys ${unknown.join(", ")}`);
    if (typeof c.name !== "string" || names.has(c.name)) throw new Error(`${where}: missing or duplicate name`);
    names.add(c.name);
    const workflow = c.workflow ?? (workflows.length === 1 ? workflows[0] : undefined);
    if (typeof workflow !== "string" || !workflows.includes(workflow)) throw new Error(`${where}: workflow must name one of ${workflows.join(", ")}`);
    if (typeof c.input !== "object" || c.input === null || Array.isArray(c.input)) throw new Error(`${where}: input must be an object`);
    const messages = c.messages ?? [];
    const wellFormed = (m: unknown) => typeof m === "object" && m !== null && typeof (m as { topic?: unknown }).topic === "string" && (m as { message?: unknown }).message != null;
    if (!Array.isArray(messages) || !messages.every(wellFormed)) throw new Error(`${where}: messages must be [{ topic, message }] with non-null messages`);
    if (("result" in c) === ("error" in c)) throw new Error(`${where}: exactly one of result / error`);
  });
}

test("the compile-only corpus is not empty", () => {
  expect(dirs.length).toBeGreaterThan(0);
});

describe.each(dirs)("%s", (name) => {
  const dir = join(COMPILE_DIR, name);
  const inputFile = join(dir, "input.ts");
  const folder = compileFolder(dir);
  const artifacts = folder.get("input.ts")?.workflows ?? [];

  test("compiles deterministically to valid artifacts", () => {
    expect(artifacts.length).toBeGreaterThan(0);
    const again = compileFile(inputFile, readFileSync(inputFile, "utf8")).workflows;
    expect(again.map(serializeArtifact)).toEqual(artifacts.map(serializeArtifact));
    for (const a of artifacts) {
      const validation = validateArtifact(JSON.parse(serializeArtifact(a)));
      expect(validation.ok ? [] : validation.errors).toEqual([]);
      expect(a.source).toBe(relative(REPO_ROOT, inputFile));
    }
  });

  test("matches the IR snapshot", () => {
    const text = JSON.stringify(artifacts.map((a) => JSON.parse(canonicalJson(a))), null, 2) + "\n";
    const irFile = join(dir, "ir.json");
    if (UPDATE) {
      writeFileSync(irFile, text);
      return;
    }
    if (!existsSync(irFile)) throw new Error(`missing ${relative(REPO_ROOT, irFile)}; review the output and run UPDATE=1 npx vitest run test/fixtures-compile.test.ts`);
    expect(text).toBe(readFileSync(irFile, "utf8"));
  });

  test("lists the children each workflow starts, and where each is declared, all in the folder", () => {
    const declaredIn = new Map([...folder].flatMap(([file, r]) => r.workflows.map((a) => [a.name, join(dir, file)] as const)));
    for (const a of artifacts) {
      expect(a.workflows ?? [], a.name).toEqual(childrenOf(a));
      for (const child of a.workflows ?? []) expect(declaredIn.has(child), `${a.name} starts ${child}`).toBe(true);
    }
    const started = [...new Set(artifacts.flatMap((a) => a.workflows ?? []))].sort();
    const children = folder.get("input.ts")?.children ?? [];
    expect(children.map((c) => [c.name, c.file])).toEqual(started.map((name) => [name, declaredIn.get(name)]));
  });

  test("has a well-formed case table", () => {
    checkCases(join(dir, "cases.json"), artifacts.map((a) => a.name));
  });
});
