/**
 * Compiling a workflow file with the real compiler and running it with runLocal,
 * shared by the fixture, fidelity and property tests.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { compile, formatDiagnostics, nodeResolver } from "../../plugin/index.ts";
import type { CompileResult } from "../../plugin/index.ts";
import { action, isAction, runLocal, virtualClock } from "../../runtime/index.ts";
import { validateArtifact, type Artifact } from "../../ir-schema/index.ts";
import { REPO_ROOT } from "./fixtures.ts";

export function compileFile(file: string, source: string): CompileResult {
  return compile(source, file, nodeResolver(REPO_ROOT), { validate: validateArtifact });
}

/** The one workflow of a file that must compile cleanly; the error lists the diagnostics. */
export function compileSingle(file: string, source: string): { artifact: Artifact; result: CompileResult } {
  const result = compileFile(file, source);
  if (result.diagnostics.length > 0) {
    throw new Error(`expected no diagnostics, got:\n${formatDiagnostics(result.diagnostics, { cwd: REPO_ROOT })}`);
  }
  if (result.workflows.length !== 1) throw new Error(`expected exactly one workflow, got ${result.workflows.length}`);
  return { artifact: result.workflows[0], result };
}

/**
 * Every workflow of a fixture file that must compile cleanly (`own`), with the
 * children its workflows start from other modules (`artifacts` holds them all;
 * `result.actions` has the actions of every module), and the one a case runs:
 * `wanted`, or the file's only one.
 */
export function compileFixture(
  file: string, source: string,
): { own: Artifact[]; artifacts: Artifact[]; result: CompileResult; entry(wanted?: string): Artifact } {
  const own = compileFile(file, source);
  // Children declared in other modules of the fixture are compiled too (and theirs).
  const results = [own];
  const seen = new Set([file]);
  for (let i = 0; i < results.length; i++) {
    for (const child of results[i].children ?? []) {
      if (seen.has(child.file)) continue;
      seen.add(child.file);
      results.push(compileFile(child.file, readFileSync(child.file, "utf8")));
    }
  }
  const diagnostics = results.flatMap((r) => r.diagnostics);
  if (diagnostics.length > 0) {
    throw new Error(`expected no diagnostics, got:\n${formatDiagnostics(diagnostics, { cwd: REPO_ROOT })}`);
  }
  const artifacts = results.flatMap((r) => r.workflows);
  const actions = new Map(results.flatMap((r) => r.actions).map((a) => [`${a.name}\0${a.file}`, a]));
  const result: CompileResult = { ...own, actions: [...actions.values()] };
  const entry = (wanted?: string) => {
    if (wanted === undefined && own.workflows.length === 1) return own.workflows[0];
    const found = artifacts.find((a) => a.name === wanted);
    if (!found) throw new Error(`${file}: a case must name its workflow (one of ${artifacts.map((a) => a.name).join(", ")}), got ${wanted}`);
    return found;
  };
  return { own: own.workflows, artifacts, result, entry };
}

/** Each action compile() says the workflow calls, imported from its own module. */
export async function loadActions(result: CompileResult): Promise<{ name: string; value: unknown }[]> {
  return Promise.all(
    result.actions.map(async (a) => {
      const mod = (await import(pathToFileURL(a.file).href)) as Record<string, unknown>;
      if (!(a.exportName in mod)) throw new Error(`action ${a.name}: ${a.file} has no export ${a.exportName}`);
      return { name: a.name, value: mod[a.exportName] };
    }),
  );
}

/**
 * The actions to hand to runLocal, registered under the names the compiler read
 * from the source. Vite (so vitest) transforms TypeScript with esbuild and forces
 * `keepNames: false`, which renames `export const foo = action(async function foo()
 * {...})`'s inner function to `foo2`, so `actionName` drifts from the source name.
 * Until the test transform keeps names (see the "source names" test in
 * fixtures.test.ts), re-wrap drifted actions; elsewhere this is a no-op.
 */
export async function importActions(result: CompileResult): Promise<unknown[]> {
  return (await loadActions(result)).map(({ name, value }) =>
    isAction(value) && value.actionName !== name ? action(name, value) : value,
  );
}

/** Runs an artifact in memory with instant sleeps and backoffs; `workflows` are the children it may start. */
export async function runCompiled(
  artifact: Artifact, actions: unknown[], input: Record<string, unknown>,
  more: { workflows?: Artifact[]; messages?: Array<{ topic: string; message: unknown }> } = {},
): Promise<unknown> {
  // A fresh copy per run, as a durable runtime would deserialize it.
  const copy = JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
  return runLocal(artifact, copy, { actions, clock: virtualClock(), workflows: more.workflows, messages: more.messages });
}
