/**
 * Compile benchmark (`npm run bench:compile`): how much slower is a full
 * compile() than merely parsing the same code? Target: at most 3x Babel's parse.
 *
 * Options: --lines <n> (corpus size, default 20000), --runs <n> (default 10).
 */
import { parse as babelParse } from "@babel/parser";
import { parseSync as swcParse } from "@swc/core";
import { parseSync as oxcParse } from "oxc-parser";
import { parseArgs } from "node:util";
import { hashArtifact, validateArtifact, type Artifact } from "../ir-schema/index.ts";
import { compile, createModuleCache, type CompileOptions, type ModuleResolver } from "../plugin/index.ts";
import { generateCorpus, type CorpusFile } from "./corpus.ts";
import { measure } from "./measure.ts";

const TARGET_RATIO = 3;
const ROOT = "/bench";

const { values } = parseArgs({
  options: { lines: { type: "string", default: "20000" }, runs: { type: "string", default: "10" } },
});
const runs = Number(values.runs);
const corpus = generateCorpus(ROOT, Number(values.lines));
const totalLines = corpus.reduce((n, f) => n + f.lines, 0);

// An in-memory resolver: the benchmark measures the compiler, not the disk.
const byPath = new Map(corpus.map((f) => [f.path, f.source]));
const resolver: ModuleResolver = { root: ROOT, resolve: () => null, read: (file) => byPath.get(file) ?? null };

function compileAll(files: readonly CorpusFile[], options: Pick<CompileOptions, "validate"> = {}): { workflows: Artifact[]; errors: string[] } {
  const cache = createModuleCache();
  const workflows: Artifact[] = [];
  const errors: string[] = [];
  for (const file of files) {
    const result = compile(file.source, file.path, resolver, { root: ROOT, cache, ...options });
    workflows.push(...result.workflows);
    for (const d of result.diagnostics) {
      if (d.severity === "error") errors.push(`${d.file}:${d.line}:${d.column}: ${d.code} ${d.message}`);
    }
  }
  return { workflows, errors };
}

// A benchmark of a compiler that rejects its input would measure the wrong thing.
const check = compileAll(corpus, { validate: validateArtifact });
if (check.errors.length > 0 || check.workflows.length !== corpus.length * 2) {
  console.error(`corpus does not compile cleanly (${check.workflows.length} workflows):\n${check.errors.slice(0, 10).join("\n")}`);
  process.exit(1);
}

const artifacts = check.workflows;
const warmup = 3;
const timings = measure(
  [
    {
      label: "parse: @babel/parser",
      run: () => {
        // The options compile() itself parses with (plugin/parse/parse.ts).
        for (const f of corpus) {
          babelParse(f.source, {
            sourceType: "module",
            plugins: ["typescript", "decorators", "explicitResourceManagement"],
            errorRecovery: true,
            attachComment: false,
          });
        }
      },
    },
    {
      label: "parse: oxc-parser",
      run: () => {
        // `program` is a lazy getter: reading it is what turns the transferred JSON into a JS tree.
        for (const f of corpus) void oxcParse(f.path, f.source, { lang: "ts", sourceType: "module" }).program;
      },
    },
    {
      label: "parse: @swc/core",
      run: () => {
        for (const f of corpus) swcParse(f.source, { syntax: "typescript", decorators: true, target: "es2022" });
      },
    },
    { label: "compile() (Babel parse + analyze + lower + seal)", run: () => void compileAll(corpus) },
    // The two per-artifact steps compile() ends with, timed alone on its output.
    { label: "  part of it: hashArtifact (canonical JSON, sha256)", run: () => artifacts.forEach((a) => hashArtifact(a)) },
    { label: "not in compile(): validateArtifact (load time)", run: () => artifacts.forEach((a) => validateArtifact(a)) },
    { label: "compile({ validate: validateArtifact }) (cairn check/build)", run: () => void compileAll(corpus, { validate: validateArtifact }) },
  ],
  runs,
  warmup,
);

const per1k = (ms: number) => ((ms / totalLines) * 1000).toFixed(2).padStart(8);
console.log(`corpus: ${corpus.length} files, ${totalLines} lines, ${artifacts.length} workflows; ${runs} runs after ${warmup} warm-up`);
console.log(`${"".padEnd(50)} ${"best".padStart(8)} ${"median".padStart(8)}   (CPU ms per 1k lines)`);
for (const t of timings) console.log(`${t.label.padEnd(50)} ${per1k(t.bestMs)} ${per1k(t.medianMs)}`);

const babel = timings[0]!;
const full = timings[3]!;
const ratio = full.medianMs / babel.medianMs;
console.log(
  `ratio compile / Babel parse: ${ratio.toFixed(2)} (median), ${(full.bestMs / babel.bestMs).toFixed(2)} (best); target <= ${TARGET_RATIO}`,
);
const checked = timings[6]!;
console.log(`ratio compile({ validate }) / Babel parse: ${(checked.medianMs / babel.medianMs).toFixed(2)} (median)`);
process.exitCode = ratio <= TARGET_RATIO ? 0 : 1;
