import { readdirSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { isDirectory, readText, realPath } from "./file-probes.ts";
import { PACKAGE_NAME } from "../../ir-schema/vocabulary.ts";

/**
 * Where a bare specifier (`@acme/actions`, `@acme/actions/retry`) points when it
 * names a package of the user's own workspace: a folder linked into a
 * `node_modules` (npm, yarn and pnpm workspaces, `npm link`) whose real path is
 * outside every `node_modules`. Installed packages give null: the compiler never
 * reads them. Returns the paths the package's `package.json` offers for the
 * subpath, in its own order, for the caller to probe; empty when there is none.
 */
export function workspaceTargets(specifier: string, fromFile: string): string[] {
  const parts = specifier.split("/");
  const nameLength = specifier.startsWith("@") ? 2 : 1;
  if (parts.length < nameLength || parts.slice(0, nameLength).some((p) => p === "" || p === "." || p === "..")) return [];
  const name = parts.slice(0, nameLength).join("/");
  const subpath = parts.length > nameLength ? `./${parts.slice(nameLength).join("/")}` : ".";
  const dir = linkedPackageDir(name, dirname(fromFile));
  if (dir === null) return [];
  const manifest = readManifest(dir);
  if (manifest === null) return [];
  const listed = manifest.exports !== undefined ? exportTargets(manifest.exports, subpath) : legacyTargets(manifest, subpath);
  return listed.filter((t) => t.startsWith("./") || t === ".").map((t) => resolve(dir, t));
}

/**
 * The real folders of every workspace package linked into a `node_modules` from
 * `from` up to the root (each once): what a workflow under `from` can import by
 * name and the compiler reads (`cairn dev` watches them).
 */
export function linkedWorkspacePackages(from: string): string[] {
  const found = new Set<string>();
  for (let dir = from; ; dir = dirname(dir)) {
    const modules = join(dir, "node_modules");
    for (const entry of listDir(modules)) {
      const names = entry.startsWith("@") ? listDir(join(modules, entry)).map((n) => `${entry}/${n}`) : [entry];
      for (const name of names) {
        const real = linkedPackageDir(name, dir);
        if (real !== null) found.add(real);
      }
    }
    if (dirname(dir) === dir) return [...found];
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => !n.startsWith("."));
  } catch {
    return [];
  }
}

/** The real path of the nearest `node_modules/<name>` above `from`, when it is no installed package. */
function linkedPackageDir(name: string, from: string): string | null {
  // cairn itself is linked in its own repository and in projects that link it; it is never the user's code.
  if (name === PACKAGE_NAME) return null;
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (isDirectory(candidate)) {
      const real = realPath(candidate);
      return real === null || real.split(sep).includes("node_modules") ? null : real;
    }
    if (dirname(dir) === dir) return null;
  }
}

interface Manifest {
  exports?: unknown;
  types?: unknown;
  typings?: unknown;
  module?: unknown;
  main?: unknown;
}

function readManifest(dir: string): Manifest | null {
  const text = readText(join(dir, "package.json"));
  try {
    const parsed: unknown = text === null ? null : JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Manifest) : null;
  } catch {
    return null;
  }
}

/**
 * Every target the `exports` field gives `subpath`, under any condition, in the
 * field's order: which condition a build or Node would pick does not matter here,
 * only where the package's TypeScript source is (often behind `types` or a custom
 * condition, while `import` names the built file).
 */
function exportTargets(exports: unknown, subpath: string): string[] {
  const map = subpathMap(exports);
  if (map === null) return [];
  if (Object.prototype.hasOwnProperty.call(map, subpath)) return leaves(map[subpath], null);
  // Of the `*` patterns that match, the one with the longest part before the `*` wins, as in Node.
  let best: { prefix: string; value: unknown; star: string } | null = null;
  for (const [key, value] of Object.entries(map)) {
    const star = key.indexOf("*");
    if (star < 0) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    const matches = subpath.length >= prefix.length + suffix.length && subpath.startsWith(prefix) && subpath.endsWith(suffix);
    if (matches && (best === null || prefix.length > best.prefix.length)) {
      best = { prefix, value, star: subpath.slice(prefix.length, subpath.length - suffix.length) };
    }
  }
  return best ? leaves(best.value, best.star) : [];
}

/** `exports` as a map from subpath to target: a bare target or conditions object is the map of ".". */
function subpathMap(exports: unknown): Record<string, unknown> | null {
  if (typeof exports === "string" || Array.isArray(exports)) return { ".": exports };
  if (typeof exports !== "object" || exports === null) return null;
  const keys = Object.keys(exports);
  return keys.length > 0 && keys.every((k) => k.startsWith(".")) ? (exports as Record<string, unknown>) : { ".": exports };
}

function leaves(target: unknown, star: string | null): string[] {
  if (typeof target === "string") return [star === null ? target : target.split("*").join(star)];
  if (Array.isArray(target)) return target.flatMap((t) => leaves(t, star));
  if (typeof target === "object" && target !== null) return Object.values(target).flatMap((t) => leaves(t, star));
  return [];
}

/** Without `exports`: the entry fields for the package itself, the path as written for a subpath. */
function legacyTargets(manifest: Manifest, subpath: string): string[] {
  if (subpath !== ".") return [subpath];
  const fields = [manifest.types, manifest.typings, manifest.module, manifest.main].filter((f): f is string => typeof f === "string");
  return [...fields.map((f) => (f.startsWith("./") ? f : `./${f}`)), "."];
}
