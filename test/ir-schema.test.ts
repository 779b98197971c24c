import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { canonicalJson, hashArtifact, renderJsonSchema, sealArtifact, validateArtifact, type Artifact } from "../ir-schema/index.ts";

const loc = "wf.ts:1:1";
const sample = (): Omit<Artifact, "hash"> => ({
  irVersion: 1, name: "W", source: "wf.ts", params: ["x"], actions: [], errors: [],
  program: {
    entry: 0,
    blocks: [{
      id: 0, handler: null,
      instrs: [{ kind: "assign", target: "y", path: [], loc, value: { kind: "binary", op: "+", loc, left: { kind: "var", name: "x", loc }, right: { kind: "lit", value: 1, loc } } }],
      term: { kind: "return", value: { kind: "var", name: "y", loc }, loc },
    }],
  },
});

test("the checked-in JSON Schema is generated from the TypeBox definition (run `npm run schema` when this fails)", () => {
  expect(readFileSync(new URL("../ir-schema/cairn-ir.schema.json", import.meta.url), "utf8")).toBe(renderJsonSchema());
});

test("a sealed artifact validates; its hash covers everything but itself", () => {
  const a = sealArtifact(sample());
  expect(validateArtifact(a)).toEqual({ ok: true, artifact: a });
  expect(a.hash).toBe(hashArtifact(a));
  expect(a.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
});

test("instructions and terminators carry a loc; expressions need none, and one from an earlier compiler is still checked", () => {
  const withoutExprLocs = sample();
  const instr = withoutExprLocs.program.blocks[0].instrs[0] as { value: unknown };
  instr.value = { kind: "binary", op: "+", left: { kind: "var", name: "x" }, right: { kind: "lit", value: 1 } };
  withoutExprLocs.program.blocks[0].term = { kind: "return", value: { kind: "var", name: "y" }, loc };
  const lean = sealArtifact(withoutExprLocs);
  expect(validateArtifact(lean)).toEqual({ ok: true, artifact: lean });
  expect(validateArtifact(sealArtifact(sample())).ok).toBe(true);

  const noInstrLoc = JSON.parse(JSON.stringify(withoutExprLocs));
  delete noInstrLoc.program.blocks[0].instrs[0].loc;
  const badExprLoc = JSON.parse(JSON.stringify(sample()));
  badExprLoc.program.blocks[0].instrs[0].value.left.loc = "nowhere";
  const errorsOf = (a: Omit<Artifact, "hash">) => {
    const r = validateArtifact(sealArtifact(a));
    return r.ok ? [] : r.errors.map((e) => e.path);
  };
  expect(errorsOf(noInstrLoc)).toEqual(["/program/blocks/0/instrs/0/loc"]);
  expect(errorsOf(badExprLoc)).toEqual(["/program/blocks/0/instrs/0/value/left/loc"]);
});

test("errors name the path and what was expected, not just 'union'", () => {
  const bad = JSON.parse(JSON.stringify(sealArtifact(sample())));
  bad.program.blocks[0].instrs[0].value.op = "@";
  bad.program.blocks[0].term.value = { kind: "bogus", loc };
  const r = validateArtifact(bad);
  expect(r.ok).toBe(false);
  expect(!r.ok && r.errors).toEqual([
    { path: "/program/blocks/0/instrs/0/value/op", message: expect.stringMatching(/^expected one of "\+", "-", .*, got "@"$/) },
    { path: "/program/blocks/0/term/value", message: 'unknown node kind "bogus"' },
  ]);
});

test("a tampered artifact fails its hash check; a dangling jump is caught", () => {
  const a = JSON.parse(JSON.stringify(sealArtifact(sample())));
  a.name = "Other";
  const r = validateArtifact(a);
  expect(!r.ok && r.errors.map((e) => e.path)).toEqual(["/hash"]);
  const b = sample();
  b.program.blocks[0].term = { kind: "jump", to: 7, loc };
  const r2 = validateArtifact(sealArtifact(b));
  expect(!r2.ok && r2.errors).toEqual([{ path: "/program/blocks/0/term/to", message: "refers to block 7, but the program has 1" }]);
});

test("canonical JSON sorts keys and keeps a __proto__ key as data", () => {
  const v = JSON.parse('{"b":1,"__proto__":{"x":1},"a":[{"d":1,"c":2}]}');
  expect(canonicalJson(v)).toBe('{"__proto__":{"x":1},"a":[{"c":2,"d":1}],"b":1}');
  expect(canonicalJson(JSON.parse('{"__proto__":1}'))).not.toBe(canonicalJson({}));
});
