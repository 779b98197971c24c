import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { isFile } from "./file-probes.ts";

/** How the project's tsconfig maps bare specifiers to files, as TypeScript applies it. */
export interface PathMapping {
  /** Directory the `paths` targets are relative to (`baseUrl`, else the directory of the tsconfig that set `paths`). */
  baseDir: string;
  paths: Array<[string, string[]]>;
  /** Absolute `baseUrl`: a bare specifier no `paths` entry maps is looked up under it. */
  baseUrl: string | null;
}

/** tsconfig.json is JSONC: drop comments and trailing commas, leaving strings alone. */
export function parseJsonc(text: string): unknown {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2);
      if (i < 0) break;
      i++;
    } else {
      out += c;
    }
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, "$1"));
}

interface CompilerOptionsJson {
  baseUrl?: unknown;
  paths?: unknown;
}

/** The options that decide resolution, each with the folder of the tsconfig that set it. */
interface Resolution {
  baseUrl?: string;
  paths?: { entries: Array<[string, string[]]>; dir: string };
}

const MAX_EXTENDS_DEPTH = 8;

/**
 * Reads `paths` and `baseUrl` through `extends` (a path, a package's config, or a
 * list of them; later ones and the file itself override earlier ones), or null
 * when neither is configured.
 */
export function readTsconfigPaths(file: string): PathMapping | null {
  const r = readResolution(file, 0);
  if (!r.paths && r.baseUrl === undefined) return null;
  return {
    baseDir: r.baseUrl ?? r.paths?.dir ?? dirname(file),
    paths: r.paths?.entries ?? [],
    baseUrl: r.baseUrl ?? null,
  };
}

function readResolution(file: string, depth: number): Resolution {
  let json: { extends?: unknown; compilerOptions?: CompilerOptionsJson };
  try {
    json = parseJsonc(readFileSync(file, "utf8")) as typeof json;
  } catch {
    return {};
  }
  const dir = dirname(file);
  const parents = typeof json.extends === "string" ? [json.extends] : Array.isArray(json.extends) ? json.extends : [];
  let merged: Resolution = {};
  if (depth < MAX_EXTENDS_DEPTH) {
    for (const parent of parents) {
      const parentFile = typeof parent === "string" ? extendedConfig(parent, dir) : null;
      if (parentFile) merged = { ...merged, ...definedOnly(readResolution(parentFile, depth + 1)) };
    }
  }
  const opts = json.compilerOptions ?? {};
  if (typeof opts.baseUrl === "string") merged.baseUrl = resolve(dir, opts.baseUrl);
  if (typeof opts.paths === "object" && opts.paths !== null && !Array.isArray(opts.paths)) {
    const entries = Object.entries(opts.paths).filter((e): e is [string, string[]] => Array.isArray(e[1]) && e[1].every((t) => typeof t === "string"));
    merged.paths = { entries, dir };
  }
  return merged;
}

function definedOnly(r: Resolution): Resolution {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Resolution;
}

/** The file an `extends` entry names: relative or absolute, or a package's config found through node_modules. */
function extendedConfig(spec: string, fromDir: string): string | null {
  const withJson = (p: string) => (p.endsWith(".json") ? p : `${p}.json`);
  if (spec.startsWith(".") || isAbsolute(spec)) return withJson(resolve(fromDir, spec));
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const base = join(dir, "node_modules", spec);
    for (const candidate of [base, withJson(base), join(base, "tsconfig.json")]) if (isFile(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}
