import { readdirSync, statSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { mayUseCairn } from "../plugin/pipeline/options.ts";
import { UsageError } from "./exit-codes.ts";

const SOURCE_EXTENSIONS = new Set([".ts", ".tsx", ".mts"]);
const SKIPPED_DIRS = new Set(["node_modules", "dist", ".cairn", "__tests__"]);
/** Test files by the conventions of vitest, Jest and Node's runner: never part of what a walk builds, checks or serves. */
const TEST_FILE = /\.(test|spec)\.[cm]?tsx?$/;

export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Named on the command line rather than found by walking a directory. */
  explicit: boolean;
}

export function isSourceFile(path: string): boolean {
  return SOURCE_EXTENSIONS.has(extname(path)) && !path.endsWith(".d.ts") && !path.endsWith(".d.mts");
}

/**
 * Expands the command line's files and directories into the TypeScript files to
 * compile: directories recursively (skipping dependencies, build output, dot
 * directories and test files: a test's own workflows are no part of a deploy,
 * and one named like a real workflow would clash with it), each file once, in a
 * stable order so output is deterministic. A file named explicitly is always taken.
 */
export function collectSourceFiles(args: readonly string[], cwd: string): SourceFile[] {
  if (args.length === 0) throw new UsageError("no files or directories given");
  const found = new Map<string, SourceFile>();
  for (const arg of args) {
    const path = resolve(cwd, arg);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) throw new UsageError(`no such file or directory: ${arg}`);
    if (stat.isDirectory()) {
      for (const file of walk(path)) if (!found.has(file)) found.set(file, { path: file, explicit: false });
    } else if (isSourceFile(path)) {
      found.set(path, { path, explicit: true });
    } else {
      throw new UsageError(`not a TypeScript file (.ts, .tsx, .mts): ${arg}`);
    }
  }
  return [...found.values()].sort((a, b) => compareStrings(a.path, b.path));
}

function* walk(dir: string): Generator<string> {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareStrings(a.name, b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith(".") && !SKIPPED_DIRS.has(entry.name)) yield* walk(path);
    } else if (entry.isFile() && isSourceFile(path) && !TEST_FILE.test(entry.name)) {
      yield path;
    }
  }
}

/** Code-unit order, independent of the locale the CLI happens to run under. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Cheap test that lets a directory walk skip files with nothing to compile: a
 * workflow needs the `workflow` decorator/wrapper or the `Workflow` base class,
 * whose names appear in the file however they are imported, and an action module
 * imports "cairnjs" (the bundler plugins' own check). Action modules are compiled
 * too, so that `cairn check` reports an anonymous action or two actions of one
 * name in them, as every bundler does.
 */
export function mayDefineWorkflow(source: string): boolean {
  return /workflow/i.test(source) || mayUseCairn(source);
}
