import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { canonicalJson, type Artifact } from "../../ir-schema/index.ts";
import { compileWithLayout } from "../compile.ts";
import { createModuleCache } from "../resolve/module-cache.ts";
import { nodeResolver } from "../resolve/node-resolver.ts";
import type { ModuleLayout } from "../analyze/module-layout.ts";
import type { Diagnostic, ModuleResolver } from "../types.ts";
import { rewriteModule, type RewrittenModule } from "./rewrite-module.ts";

/** What transforming one module produced. */
export interface ModuleOutcome {
  /** Absolute path of the module. */
  file: string;
  /** Its original text (for code frames). */
  source: string;
  /** Null when the module is left as it is. */
  output: RewrittenModule | null;
  /** Where the rewrite acted (null when the module has errors), for transforms that edit an AST instead. */
  layout: ModuleLayout | null;
  artifacts: Artifact[];
  /** canonicalJson of each artifact (same order), from the pass that hashed it: what the handles embed. */
  canonical: string[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** Other project files the compile read (imports it followed): watch them. */
  deps: string[];
}

interface CacheEntry {
  hash: string;
  deps: ReadonlyMap<string, string | null>;
  outcome: ModuleOutcome;
}

/**
 * One per plugin instance: the compiler's parse cache, compiled results keyed by
 * content hash (the module's and every file its compile read), and the latest
 * outcome of each module, which the artifacts of a build are collected from.
 */
export class ModuleCompiler {
  private readonly parseCache = createModuleCache();
  private readonly results = new Map<string, CacheEntry>();
  private readonly roots = new Map<string, string>();
  private readonly resolvers = new Map<string, ModuleResolver>();
  /** Latest outcome per module file (only modules that passed the quick check). */
  readonly modules = new Map<string, ModuleOutcome>();

  private readonly root: string | undefined;
  private readonly onCompile: ((file: string) => void) | undefined;

  constructor(options: { root?: string; onCompile?: (file: string) => void } = {}) {
    this.root = options.root;
    this.onCompile = options.onCompile;
  }

  transform(code: string, file: string): ModuleOutcome {
    const hash = digest(code);
    const hit = this.results.get(file);
    if (hit && hit.hash === hash && depsUnchanged(hit.deps)) {
      this.modules.set(file, hit.outcome);
      return hit.outcome;
    }
    this.onCompile?.(file);
    const { resolver, deps } = this.recordingResolver(file);
    const root = resolver.root;
    const compiled = compileWithLayout(code, file, resolver, { root, cache: this.parseCache });
    const result = compiled.result;
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    const warnings = result.diagnostics.filter((d) => d.severity !== "error");
    const layout = errors.length > 0 ? null : compiled.layout;
    const artifacts = errors.length > 0 ? [] : result.workflows;
    const canonical = errors.length > 0 ? [] : (result.serialized ?? artifacts.map((a) => canonicalJson(a)));
    const outcome: ModuleOutcome = {
      file,
      source: code,
      output: layout && rewriteModule(code, file, layout, artifacts, canonical),
      layout,
      artifacts,
      canonical,
      errors,
      warnings,
      deps: [...deps.keys()].filter((d) => d !== file),
    };
    const depHashes = new Map<string, string | null>();
    for (const [dep, text] of deps) if (dep !== file) depHashes.set(dep, text === null ? null : digest(text));
    this.results.set(file, { hash, deps: depHashes, outcome });
    this.modules.set(file, outcome);
    // The outcome holds offsets, not nodes: the tree is not needed again unless the
    // module is compiled anew (a dependency changed), which then parses it again.
    this.parseCache.release?.(resolve(file));
    return outcome;
  }

  /** Artifacts of the given modules, in a stable order (by file, then as compiled). */
  artifactsOf(files: Iterable<string>): { artifacts: Artifact[]; failed: boolean } {
    const picked = [...files].filter((f) => this.modules.has(f)).sort().map((f) => this.modules.get(f)!);
    return { artifacts: picked.flatMap((m) => m.artifacts), failed: picked.some((m) => m.errors.length > 0) };
  }

  /** Forgets a deleted module (watch mode). */
  forget(file: string): void {
    this.modules.delete(file);
    this.results.delete(file);
  }

  /** The project resolver for `file`, reading each file once per compile and recording what it read. */
  private recordingResolver(file: string): { resolver: ModuleResolver; deps: Map<string, string | null> } {
    const root = this.root ?? this.projectRoot(file);
    let base = this.resolvers.get(root);
    if (!base) this.resolvers.set(root, (base = nodeResolver(root)));
    const deps = new Map<string, string | null>();
    const b = base;
    return {
      deps,
      resolver: {
        root: b.root,
        resolve: (specifier, from) => b.resolve(specifier, from),
        read(path) {
          if (deps.has(path)) return deps.get(path)!;
          const text = b.read(path);
          deps.set(path, text);
          return text;
        },
      },
    };
  }

  /** Same rule as the CLI: nearest directory with a package.json or tsconfig.json. */
  private projectRoot(file: string): string {
    const start = dirname(resolve(file));
    const cached = this.roots.get(start);
    if (cached) return cached;
    let found = start;
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, "package.json")) || existsSync(join(dir, "tsconfig.json"))) {
        found = dir;
        break;
      }
      if (dirname(dir) === dir) break;
    }
    this.roots.set(start, found);
    return found;
  }
}

function digest(text: string): string {
  return createHash("sha1").update(text).digest("base64");
}

function depsUnchanged(deps: ReadonlyMap<string, string | null>): boolean {
  for (const [file, hash] of deps) {
    let text: string | null;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      text = null;
    }
    if ((text === null ? null : digest(text)) !== hash) return false;
  }
  return true;
}
