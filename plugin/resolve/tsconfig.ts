import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

export interface PathMapping {
  /** Directory the `paths` targets are relative to (`baseUrl`, else the tsconfig's own directory). */
  baseDir: string;
  paths: Array<[string, string[]]>;
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
  baseUrl?: string;
  paths?: Record<string, string[]>;
}

/** Reads `paths` (following relative `extends`), or null when none are configured. */
export function readTsconfigPaths(file: string, depth = 0): PathMapping | null {
  let json: { extends?: unknown; compilerOptions?: CompilerOptionsJson };
  try {
    json = parseJsonc(readFileSync(file, "utf8")) as typeof json;
  } catch {
    return null;
  }
  const dir = dirname(file);
  const opts = json.compilerOptions ?? {};
  if (opts.paths) {
    return {
      baseDir: resolve(dir, opts.baseUrl ?? "."),
      paths: Object.entries(opts.paths),
    };
  }
  if (typeof json.extends === "string" && json.extends.startsWith(".") && depth < 8) {
    const parent = resolve(dir, json.extends.endsWith(".json") ? json.extends : json.extends + ".json");
    return readTsconfigPaths(parent, depth + 1);
  }
  return null;
}
