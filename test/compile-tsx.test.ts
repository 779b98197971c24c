import { expect, test } from "vitest";
import { compile } from "../plugin/index.ts";
import { validateArtifact } from "../ir-schema/index.ts";

const resolver = { root: "/p", resolve: () => null, read: () => null };
const source = `import { action, workflow } from "cairnjs";
export const View = () => <div className="x">hi</div>;
export const load = action(async function load(id: string) { return id; });
export const show = workflow(async function show(id: string) { return await load(id); });
`;

test(".tsx files may contain JSX next to workflows", () => {
  const r = compile(source, "/p/view.tsx", resolver, { validate: validateArtifact });
  expect(r.diagnostics).toEqual([]);
  expect(r.workflows.map((w) => [w.name, w.actions])).toEqual([["show", ["load"]]]);
});

test("in .ts, JSX is a syntax error (where `<T>x` is a type assertion)", () => {
  const r = compile(source, "/p/view.ts", resolver);
  expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([["CAIRN001", 2]]);
});
