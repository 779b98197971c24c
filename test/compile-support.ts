/** Helpers for the compiler tests: an in-memory project and one-call compilation. */
import { expect } from "vitest";
import { posix } from "node:path";
import { validateArtifact, type Artifact } from "../ir-schema/index.ts";
import { compile, createModuleCache, printProgram, type CompileResult, type ModuleResolver } from "../plugin/index.ts";

export const ROOT = "/proj";

/** A resolver over a map of project-relative paths to file text (relative imports and `.ts` probing only). */
export function memoryResolver(files: Record<string, string>): ModuleResolver {
  const abs = new Map(Object.entries(files).map(([p, text]) => [posix.join(ROOT, p), text]));
  return {
    root: ROOT,
    resolve(specifier, fromFile) {
      if (!specifier.startsWith(".")) return null;
      const base = posix.join(posix.dirname(fromFile), specifier).replace(/\.js$/, "");
      for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) if (abs.has(candidate)) return candidate;
      return null;
    },
    read: (file) => abs.get(file) ?? null,
  };
}

/** Compiles `main.ts` (plus other project files) and checks that every artifact is schema-valid. */
export function compileFiles(files: Record<string, string>, main = "main.ts"): CompileResult {
  const result = compile(files[main], posix.join(ROOT, main), memoryResolver(files), { cache: createModuleCache() });
  for (const artifact of result.workflows) {
    const valid = validateArtifact(artifact);
    expect(valid.ok ? [] : valid.errors).toEqual([]);
  }
  return result;
}

export const HEADER = `import { action, workflow, Workflow, runAction, sleep, RetryPolicy } from "cairnjs";
export const a = action(async function a(...xs: unknown[]): Promise<number> { return 1; });
export const b = action(async function b(...xs: unknown[]): Promise<number> { return 2; });
export const note = action(async function note(...xs: unknown[]): Promise<void> {});
export class AppError extends Error {}
export class NotFound extends AppError {}
`;

/** Compiles a workflow body `wf(x, y, items)` written after HEADER; expects no diagnostics. */
export function lowerBody(body: string): Artifact {
  const result = compileFiles({ "main.ts": `${HEADER}export const wf = workflow(async function wf(x: any, y: any, items: any[]) {\n${body}\n});\n` });
  expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([]);
  expect(result.workflows).toHaveLength(1);
  return result.workflows[0];
}

/** The program of `lowerBody(body)` in the compact text form of printProgram. */
export function programOf(body: string): string {
  return printProgram(lowerBody(body));
}

/** Diagnostics of a body as `line:col CODE`; the body starts on line 8. */
export function problemsOf(body: string): string[] {
  const result = compileFiles({ "main.ts": `${HEADER}export const wf = workflow(async function wf(x: any, y: any, items: any[]) {\n${body}\n});\n` });
  return result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`);
}
