/**
 * compile()'s self-check: `validate` takes the validator (so the compiler never
 * loads the schema library itself), calls it on each artifact it made, and turns a
 * rejected one into an internal-error diagnostic instead of returning it.
 */
import { expect, test } from "vitest";
import { compile } from "../plugin/index.ts";
import { validateArtifact, type Artifact } from "../ir-schema/index.ts";

const resolver = { root: "/p", resolve: () => null, read: () => null };
const source = `import { action, workflow } from "cairnjs";
export const load = action(async function load(id: string) { return id; });
export const show = workflow(async function show(id: string) {
  return await load(id);
});
`;

test("each artifact goes through the validator given, without its hash checked again", () => {
  const seen: Array<[string, unknown]> = [];
  const r = compile(source, "/p/flow.ts", resolver, {
    validate: (artifact, options) => (seen.push([artifact.name, options]), validateArtifact(artifact, options)),
  });
  expect(r.diagnostics).toEqual([]);
  expect(r.workflows.map((w) => w.name)).toEqual(["show"]);
  expect(seen).toEqual([["show", { hash: false }]]);
});

test("an artifact the validator rejects is not returned; the diagnostic says why, at the workflow", () => {
  const r = compile(source, "/p/flow.ts", resolver, {
    validate: (artifact: Artifact) => ({ ok: false, errors: [{ path: "/program/entry", message: `rejected ${artifact.name}` }] }),
  });
  expect(r.workflows).toEqual([]);
  expect(r.diagnostics.map((d) => [d.code, d.line, d.column, d.message])).toEqual([
    ["CAIRN900", 3, 30, "internal compiler error while compiling workflow `show`: invalid IR (/program/entry: rejected show)"],
  ]);
});

test("a flag instead of the validator is a TypeError that says what to pass", () => {
  expect(() => compile(source, "/p/flow.ts", resolver, { validate: true } as never)).toThrow(
    new TypeError("compile(): `validate` takes the validator (`validateArtifact` from cairnjs/ir), not a flag"),
  );
});
