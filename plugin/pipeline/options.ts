import { isAbsolute, resolve } from "node:path";
import { PACKAGE_NAME } from "../../ir-schema/vocabulary.ts";
import { isCairnCode } from "./own-code.ts";

export type FilterPattern = string | RegExp | ReadonlyArray<string | RegExp>;

/** Options shared by every cairn bundler plugin (`cairnjs/esbuild`, `cairnjs/vite`, ...) and `cairnjs/babel`. */
export interface CairnPluginOptions {
  /**
   * Where each build writes the workflows' artifacts and `manifest.json`. Default:
   * `cairn/` inside the bundler's output directory. Relative to the working directory.
   */
  outDir?: string;
  /** Files to compile: RegExps, or globs relative to the working directory. Default: `.ts .tsx .mts .cts .js .mjs .cjs` (the compiler parses JSX only in `.tsx`). */
  include?: FilterPattern;
  /** Files never compiled. Default: anything under `node_modules`. */
  exclude?: FilterPattern;
  /**
   * Project root that artifact `source` paths and IR locations are relative to.
   * Default: like the CLI, the nearest directory above each file with a
   * package.json or tsconfig.json, so the plugins and `cairn build` hash the same
   * workflow the same.
   */
  root?: string;
  /**
   * Where compiled modules are kept between builds, so that a restarted dev server
   * or a CI build that restores the folder skips every unchanged workflow module.
   * Relative to the working directory. Default: `node_modules/.cache/cairn` in each
   * module's project root (the nearest folder with a package.json or
   * tsconfig.json). `false`: keep them in memory only, for the plugin's lifetime.
   */
  cacheDir?: string | false;
  /** Called with each module's path when it is compiled rather than served from the cache (build diagnostics, tests). */
  onCompile?: (file: string) => void;
}

export const DEFAULT_INCLUDE = /\.(?:[cm]?[jt]s|tsx)$/;
export const DEFAULT_EXCLUDE = /[\\/]node_modules[\\/]/;

export interface IdFilter {
  include: RegExp[];
  exclude: RegExp[];
  test(id: string): boolean;
}

/** include/exclude as RegExps (globs converted), plus the predicate every adapter uses. */
export function createIdFilter(options: CairnPluginOptions, cwd: string): IdFilter {
  const include = toRegExps(options.include ?? DEFAULT_INCLUDE, cwd);
  const exclude = toRegExps(options.exclude ?? DEFAULT_EXCLUDE, cwd);
  return {
    include,
    exclude,
    test(id) {
      const file = cleanId(id);
      const path = file.replace(/\\/g, "/");
      return include.some((r) => r.test(path)) && !exclude.some((r) => r.test(path)) && !isCairnCode(file);
    },
  };
}

/** Drops a `?query` / `#hash` suffix that some bundlers append to module ids. */
export function cleanId(id: string): string {
  return id.replace(/[?#].*$/, "");
}

export function resolveOutDir(outDir: string | undefined, cwd: string): string | null {
  if (outDir === undefined) return null;
  return isAbsolute(outDir) ? outDir : resolve(cwd, outDir);
}

function toRegExps(pattern: FilterPattern, cwd: string): RegExp[] {
  const list: ReadonlyArray<string | RegExp> = typeof pattern === "string" || pattern instanceof RegExp ? [pattern] : pattern;
  return list.map((p) => (p instanceof RegExp ? new RegExp(p.source, p.flags.replace(/[gy]/g, "")) : globToRegExp(p, cwd)));
}

/** `*` (within a segment), `**` (any depth), `?`, `{a,b}`; relative globs are anchored at `cwd`. */
export function globToRegExp(glob: string, cwd: string): RegExp {
  const norm = glob.replace(/\\/g, "/");
  const anchored = norm.startsWith("**") || isAbsolute(norm) ? norm : `${cwd.replace(/\\/g, "/").replace(/\/$/, "")}/${norm.replace(/^\.\//, "")}`;
  let out = "";
  for (let i = 0; i < anchored.length; i++) {
    const c = anchored[i];
    if (c === "*" && anchored[i + 1] === "*") {
      const slash = anchored[i + 2] === "/";
      out += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "{") out += "(?:";
    else if (c === "}") out += ")";
    else if (c === ",") out += "|";
    else out += /[.+^$()|[\]\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${out}$`);
}

/**
 * The cheap check run before any parse: a module that defines workflows or
 * actions imports from "cairnjs", so its text names it in quotes. Everything else is
 * passed through untouched without being parsed. Also takes a file's bytes
 * undecoded (the quick checks that read files run on every module of a build):
 * in UTF-8 an ASCII byte never occurs inside another character's encoding, and an
 * invalid sequence decodes to U+FFFD, so the bytes hold the needle exactly when
 * the decoded text does.
 */
export function mayUseCairn(code: string | Buffer): boolean {
  return code.includes(DOUBLE_QUOTED) || code.includes(SINGLE_QUOTED);
}
const DOUBLE_QUOTED = `"${PACKAGE_NAME}"`;
const SINGLE_QUOTED = `'${PACKAGE_NAME}'`;
