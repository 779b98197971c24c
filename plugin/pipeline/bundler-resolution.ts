import { isAbsolute } from "node:path";
import { bundlerKey, type ModuleCompiler, type ModuleOutcome } from "./module-compiler.ts";
import { cleanId } from "./options.ts";
import { isCairnCode } from "./own-code.ts";
import { isFile } from "../resolve/file-probes.ts";

/** A bundler's own resolver: the file a specifier imported from `from` is, or null (a package, external, unresolvable). */
export type BundlerResolve = (specifier: string, from: string) => Promise<string | null>;

/** Rounds of asking: each can reach files that import further aliases; real projects need one or two. */
const MAX_ROUNDS = 8;

/**
 * Compiles a module with the bundler's resolver behind the file-system one, so
 * bundler aliases (`resolve.alias`, esbuild's `alias`, a tsconfig-paths plugin)
 * reach the files the bundle gets. The compiler runs synchronously, and bundlers
 * resolve asynchronously: the bare specifiers the last compile of the module left
 * unresolved are asked about first (so an unchanged module is served from the
 * cache), then the module is compiled, and while it imported bare specifiers no
 * one has asked about and one of them turns out to be a project file, it is
 * compiled again with the answers.
 */
export async function transformWithBundler(compiler: ModuleCompiler, code: string, file: string, resolve: BundlerResolve): Promise<ModuleOutcome> {
  const answers = new Map<string, string | null>();
  const ask = async (pending: Array<[string, string]>): Promise<boolean> => {
    let found = false;
    for (const [specifier, from] of pending) {
      const key = bundlerKey(specifier, from);
      if (answers.has(key)) continue;
      const hit = projectFile(await resolve(specifier, from).catch(() => null));
      answers.set(key, hit);
      found ||= hit !== null;
    }
    return found;
  };
  await ask(compiler.bareImports(file));
  for (let round = 0; ; round++) {
    const outcome = compiler.transform(code, file, answers);
    // Only a new project file changes what the compile sees; a package stays unread either way.
    if (round === MAX_ROUNDS || !(await ask(compiler.bareImports(file)))) return outcome;
  }
}

/** A bundler's answer as the compiler takes it: a file of the project, not a package, a virtual module or cairn itself. */
function projectFile(id: string | null): string | null {
  const path = id === null ? null : cleanId(id);
  if (path === null || !isAbsolute(path) || /[\\/]node_modules[\\/]/.test(path) || isCairnCode(path) || !isFile(path)) return null;
  return path;
}
