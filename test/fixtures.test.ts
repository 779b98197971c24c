/**
 * The accepted corpus: every fixtures/accept/<name>/input.ts compiles without a
 * diagnostic, deterministically, to a valid artifact equal to its ir.json snapshot,
 * and every case in its cases.json gives exactly the expected result under runLocal.
 *
 * Snapshots are rewritten only with UPDATE=1 (never in CI):
 *   UPDATE=1 npx vitest run test/fixtures.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { serializeArtifact, validateArtifact } from "../ir-schema/index.ts";
import type { Artifact } from "../ir-schema/index.ts";
import { isAction } from "../runtime/index.ts";
import { compileFile, compileFixture, importActions, loadActions, runCompiled } from "./helpers/compiled.ts";
import { canonicalOutcome, expectedOutcome, loadFixtures, prettyArtifact, REPO_ROOT, settle } from "./helpers/fixtures.ts";

const UPDATE = process.env.UPDATE === "1" && !process.env.CI;
const fixtures = loadFixtures();

test("the corpus is not empty and every case table is well formed", () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(40);
  for (const f of fixtures) expect(f.cases.length, f.name).toBeGreaterThan(0);
});

test("actions keep their source names when loaded by the test runner", async () => {
  // The compiler names an action after its source text, the runtime after the
  // loaded function; a transform that renames functions silently breaks dispatch.
  const drifted: string[] = [];
  for (const f of fixtures) {
    const { result } = compileFixture(f.inputFile, readFileSync(f.inputFile, "utf8"));
    for (const { name, value } of await loadActions(result)) {
      const loaded = isAction(value) ? value.actionName : "<not an action>";
      if (loaded !== name) drifted.push(`${f.name}: compiler says ${name}, loaded action says ${loaded}`);
    }
  }
  expect(drifted).toEqual([]);
});

describe.each(fixtures)("$name", (fixture) => {
  const source = readFileSync(fixture.inputFile, "utf8");
  const compiled: { own?: Artifact[]; artifacts?: Artifact[]; entry?: (wanted?: string) => Artifact; actions?: unknown[] } = {};

  beforeAll(async () => {
    const { own, artifacts, entry, result } = compileFixture(fixture.inputFile, source);
    compiled.own = own;
    compiled.artifacts = artifacts;
    compiled.entry = entry;
    compiled.actions = await importActions(result);
  });

  test("compiles deterministically to valid artifacts", () => {
    const again = compileFile(fixture.inputFile, source);
    expect(again.workflows.map(serializeArtifact)).toEqual(compiled.own!.map(serializeArtifact));
    for (const artifact of compiled.own!) {
      const validation = validateArtifact(JSON.parse(serializeArtifact(artifact)));
      expect(validation.ok ? [] : validation.errors).toEqual([]);
      expect(artifact.source).toBe(relative(REPO_ROOT, fixture.inputFile));
    }
  });

  test("matches the IR snapshot", () => {
    // One workflow: its artifact; several (a parent and its children): each, in order.
    const text = compiled.own!.map(prettyArtifact).join("");
    if (UPDATE) {
      writeFileSync(fixture.irFile, text);
      return;
    }
    if (!existsSync(fixture.irFile)) {
      throw new Error(
        `missing IR snapshot ${relative(REPO_ROOT, fixture.irFile)}; review the compiler output and run:\n` +
          "  UPDATE=1 npx vitest run test/fixtures.test.ts",
      );
    }
    expect(text).toBe(readFileSync(fixture.irFile, "utf8"));
  });

  test.each(fixture.cases)("case: $name", async (c) => {
    const run = () => runCompiled(compiled.entry!(c.workflow), compiled.actions!, c.input, { workflows: compiled.artifacts, messages: c.messages });
    const outcome = await settle(run);
    expect(canonicalOutcome(outcome)).toBe(canonicalOutcome(expectedOutcome(c)));
  });
});
