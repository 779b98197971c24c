import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { hashArtifact, serializeArtifact, validateArtifact } from "../ir-schema/index.ts";
import { compile, createModuleCache, nodeResolver } from "../plugin/index.ts";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const acceptDir = join(repo, "fixtures/accept");
const inputs = readdirSync(acceptDir).map((d) => join(acceptDir, d, "input.ts"));

describe("determinism and validity", () => {
  it("compiles every accepted fixture to schema-valid, sealed artifacts with no diagnostics", () => {
    const cache = createModuleCache();
    const resolver = nodeResolver(repo);
    for (const file of inputs) {
      const result = compile(readFileSync(file, "utf8"), file, resolver, { cache });
      expect({ file, diagnostics: result.diagnostics }).toEqual({ file, diagnostics: [] });
      expect(result.workflows.length).toBeGreaterThan(0);
      for (const artifact of result.workflows) {
        const valid = validateArtifact(artifact);
        expect(valid.ok ? [] : valid.errors).toEqual([]);
        expect(artifact.hash).toBe(hashArtifact(artifact));
        expect(artifact.source).toBe(file.slice(repo.length + 1));
      }
    }
  });

  it("produces byte-identical artifacts across runs, with and without a shared cache", () => {
    const resolver = nodeResolver(repo);
    const shared = createModuleCache();
    for (const file of inputs) {
      const source = readFileSync(file, "utf8");
      const once = compile(source, file, resolver).workflows.map(serializeArtifact);
      const cached = compile(source, file, resolver, { cache: shared }).workflows.map(serializeArtifact);
      const again = compile(source, file, resolver, { cache: shared }).workflows.map(serializeArtifact);
      expect(cached).toEqual(once);
      expect(again).toEqual(once);
    }
  });

  it("re-parses a file whose text changed even when the cache holds the old version", () => {
    const cache = createModuleCache();
    const resolver = nodeResolver(repo);
    const file = join(repo, "fixtures/accept/sequential-chain/input.ts");
    const source = readFileSync(file, "utf8");
    const before = compile(source, file, resolver, { cache }).workflows[0];
    const renamed = source.replace("class SequentialChainWorkflow", "class RenamedChain");
    const after = compile(renamed, file, resolver, { cache }).workflows[0];
    expect([before.name, after.name]).toEqual(["SequentialChainWorkflow", "RenamedChain"]);
  });
});
