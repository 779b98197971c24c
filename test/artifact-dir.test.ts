/**
 * loadArtifactDir: prebuilt IR for deployments (`cairn worker --ir <dir>`). A good
 * directory loads; a stale, malformed or tampered one is rejected with every
 * problem named by file. The manifest format is the CLI's, byte for byte.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import {
  artifactFileName, createManifest, hashArtifact, serializeArtifact, serializeManifest, type Artifact,
} from "../ir-schema/index.ts";
import { loadArtifactDir, ArtifactDirError } from "../runtime/index.ts";
import { REPO_ROOT } from "./helpers/fixtures.ts";

const fixture = (name: string): Artifact => JSON.parse(readFileSync(join(REPO_ROOT, "fixtures", "accept", name, "ir.json"), "utf8")) as Artifact;
const chain = fixture("sequential-chain");
const loop = fixture("while-loop");

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A directory as `cairn build` writes it; `edit` changes files before the load. */
function artifactDir(artifacts: Artifact[] = [chain, loop]): { dir: string; file(name: string): string; write(name: string, text: string): void } {
  const dir = mkdtempSync(join(tmpdir(), "cairn-ir-"));
  dirs.push(dir);
  for (const a of artifacts) writeFileSync(join(dir, artifactFileName(a)), serializeArtifact(a));
  writeFileSync(join(dir, "manifest.json"), serializeManifest(createManifest(artifacts)));
  return { dir, file: (name) => join(dir, name), write: (name, text) => writeFileSync(join(dir, name), text) };
}

async function problems(dir: string): Promise<string> {
  const error = await loadArtifactDir(dir).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ArtifactDirError);
  const message = (error as Error).message;
  expect(message.startsWith(`invalid artifact directory ${dir}:\n`)).toBe(true);
  return message.slice(`invalid artifact directory ${dir}:\n`.length);
}

describe("loadArtifactDir", () => {
  test("loads every artifact the manifest lists, validated, in manifest order", async () => {
    const d = artifactDir();
    const loaded = await loadArtifactDir(d.dir);
    expect(loaded.workflows.map((w) => w.name)).toEqual(["SequentialChainWorkflow", "whileLoopWorkflow"]);
    expect(loaded.workflows).toEqual([chain, loop].sort((a, b) => (a.name < b.name ? -1 : 1)));
    expect(loaded.manifest).toEqual(createManifest([chain, loop]));
  });

  test("the manifest lists the workflows sorted by name, with their artifact files", () => {
    const entry = (a: Artifact) => ({
      name: a.name, hash: a.hash, file: `${a.name}.${a.hash.slice(7, 19)}.json`, source: a.source, params: a.params, actions: a.actions,
    });
    expect(JSON.parse(serializeManifest(createManifest([loop, chain])))).toEqual({
      irVersion: 1,
      workflows: [chain, loop].sort((a, b) => (a.name < b.name ? -1 : 1)).map(entry),
    });
    expect(artifactFileName(chain)).toBe(entry(chain).file);
  });

  test("a missing, malformed or foreign manifest", async () => {
    const d = artifactDir();
    rmSync(d.file("manifest.json"));
    expect(await problems(d.dir)).toBe("  manifest.json: missing: build the directory with `cairn build --out <dir>` or a cairn bundler plugin");
    d.write("manifest.json", "{ not json");
    expect(await problems(d.dir)).toMatch(/^ {2}manifest\.json: not valid JSON \(.+\)$/);
    d.write("manifest.json", JSON.stringify({ irVersion: 2, workflows: [] }));
    expect(await problems(d.dir)).toBe("  manifest.json: built for IR version 2, this runtime reads version 1: rebuild it");
    d.write("manifest.json", JSON.stringify({ irVersion: 1, workflows: [{ ...createManifest([chain]).workflows[0], file: "../etc/passwd" }] }));
    expect(await problems(d.dir)).toBe('  manifest.json: workflows[0]: `file` must be a file name inside the directory, got "../etc/passwd"');
    d.write("manifest.json", JSON.stringify({ irVersion: 1, workflows: [{ ...createManifest([chain]).workflows[0], actions: "x" }] }));
    expect(await problems(d.dir)).toBe("  manifest.json: workflows[0]: `actions` must be an array of strings");
  });

  test("a tampered artifact: its content no longer matches its hash", async () => {
    const d = artifactDir();
    const file = artifactFileName(chain);
    const tampered = serializeArtifact(chain).replace('"stepReverse"', '"stepReverseEvil"');
    d.write(file, tampered);
    const content = hashArtifact(JSON.parse(tampered) as Artifact);
    expect(await problems(d.dir)).toBe(
      `  ${file}: content does not match its hash (modified after it was built): /hash: content hash mismatch: artifact says ${chain.hash}, content is ${content}`,
    );
  });

  test("a stale manifest, a replaced file and a renamed file", async () => {
    const d = artifactDir();
    const newer: Artifact = { ...chain, params: ["text", "extra"] };
    const resealed = { ...newer, hash: hashArtifact(newer) } as Artifact;
    d.write(artifactFileName(chain), serializeArtifact(resealed));
    expect(await problems(d.dir)).toBe(
      `  ${artifactFileName(chain)}: manifest.json lists workflow "${chain.name}" ${chain.hash}, but the file holds "${chain.name}" ${resealed.hash} ` +
        "(stale manifest or replaced file): rebuild the directory",
    );
    const other = artifactDir();
    const manifest = createManifest([chain]);
    manifest.workflows[0].file = "chain.json";
    other.write("chain.json", serializeArtifact(chain));
    other.write("manifest.json", serializeManifest(manifest));
    expect(await problems(other.dir)).toBe(`  chain.json: file name does not match its content: expected ${artifactFileName(chain)}`);
  });

  test("every problem of the directory at once: a missing file, a malformed one, an artifact of another IR version", async () => {
    const d = artifactDir();
    rmSync(d.file(artifactFileName(chain)));
    d.write(artifactFileName(loop), "{");
    expect(await problems(d.dir)).toMatch(
      new RegExp(
        `^  ${artifactFileName(chain).replace(/\./g, "\\.")}: listed in manifest\\.json for workflow "${chain.name}" but missing\n` +
          `  ${artifactFileName(loop).replace(/\./g, "\\.")}: not valid JSON \\(.+\\)$`,
      ),
    );
    d.write(artifactFileName(loop), serializeArtifact({ ...loop, irVersion: 2 } as unknown as Artifact));
    expect((await problems(d.dir)).split("\n")[1]).toBe(`  ${artifactFileName(loop)}: built for IR version 2, this runtime reads version 1: rebuild it`);
  });
});
