import type { Artifact } from "../../ir-schema/index.ts";
import type { WorkflowBody, WorkflowClass, WorkflowFunction } from "./workflow.ts";

/**
 * What a bundler plugin leaves in place of a workflow definition: the compiled IR
 * and its identity, and none of the workflow's code. Clients, workers and runLocal
 * take it wherever they take an artifact.
 */
export interface CompiledWorkflow {
  readonly kind: "cairn.workflow";
  readonly name: string;
  readonly hash: string;
  readonly artifact: Artifact;
}

/**
 * Anything that names a compiled workflow. The source forms (the `@workflow` class,
 * the `workflow(...)` function) are accepted by the types because after a cairn
 * bundler plugin ran they *are* handles; unbundled, they are rejected at run time
 * with an explanation (see `artifactOf`).
 */
export type WorkflowLike = Artifact | CompiledWorkflow | { readonly artifact: Artifact } | WorkflowClass | WorkflowFunction<WorkflowBody>;

/** Called by code the bundler plugins generate: `export const X = compiledWorkflow(JSON.parse("..."))`. */
export function compiledWorkflow(artifact: Artifact): CompiledWorkflow {
  const a = artifact as Partial<Artifact> | null;
  if (typeof a !== "object" || a === null || typeof a.name !== "string" || typeof a.hash !== "string" || typeof a.program !== "object") {
    throw new TypeError("compiledWorkflow(artifact): expected a compiled workflow artifact with a name, a hash and a program");
  }
  return Object.freeze({ kind: "cairn.workflow", name: a.name, hash: a.hash, artifact });
}

export function isCompiledWorkflow(value: unknown): value is CompiledWorkflow {
  return (
    typeof value === "object" && value !== null &&
    (value as { kind?: unknown }).kind === "cairn.workflow" &&
    typeof (value as { artifact?: unknown }).artifact === "object"
  );
}

/**
 * The artifact behind a `WorkflowLike`. The result is not validated here: every
 * consumer (runLocal, the engine) validates what it runs.
 */
export function artifactOf(workflow: WorkflowLike): Artifact {
  if (typeof workflow === "function") {
    const name = (workflow as { workflowName?: unknown }).workflowName ?? workflow.name;
    throw new TypeError(
      `workflow ${String(name)} was not compiled: this is its source ${isClass(workflow) ? "class" : "function"}, not a compiled handle. ` +
        "Build the module with a cairn bundler plugin (cairnjs/vite, cairnjs/esbuild, cairnjs/rollup, cairnjs/webpack, cairnjs/babel), " +
        "or pass the artifact from compile() / `cairn build`",
    );
  }
  if (isCompiledWorkflow(workflow)) return workflow.artifact;
  if (typeof workflow === "object" && workflow !== null && "artifact" in workflow && !("program" in workflow)) return workflow.artifact;
  return workflow as Artifact;
}

function isClass(fn: Function): boolean {
  return Function.prototype.toString.call(fn).startsWith("class");
}
