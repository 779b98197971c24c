import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { canonicalJson } from "../../ir-schema/hash.ts";
import { PACKAGE_NAME } from "../../ir-schema/vocabulary.ts";
import { compileWithLayout } from "../compile.ts";
import { createModuleCache } from "../analyze/module-cache.ts";
import { nodeResolver } from "../resolve/node-resolver.ts";
import type { ModuleLayout } from "../analyze/module-layout.ts";
import type { ActionLocation, Diagnostic, ModuleResolver } from "../types.ts";
import type { ScheduleEntry } from "../../ir-schema/index.ts";
import type { BuildModule } from "../build-conflicts.ts";
import { rewriteModule, type RewrittenModule } from "./rewrite-module.ts";
import { CompileCache, type CachedCompile } from "./compile-cache.ts";
import { digest } from "./cache-pack.ts";
import { builtWorkflow, type BuiltWorkflow } from "./built-workflow.ts";

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
  /** The module's workflows, as compiled (none when it has errors). */
  workflows: BuiltWorkflow[];
  /** The actions its workflows call (none when it has errors). */
  actions: ActionLocation[];
  /** The schedules it exports (none when it has errors). */
  schedules: ScheduleEntry[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** Other project files the compile read (imports it followed): watch them. */
  deps: string[];
}

/** A compile held in memory: its inputs, as the disk cache records them, and its outcome. */
interface CacheEntry {
  inputs: CompileInputs;
  outcome: ModuleOutcome;
}

/** What a compile's result depends on besides the compiler: the module's text, the root, the files read and the imports resolved. */
type CompileInputs = Pick<CachedCompile, "source" | "root" | "reads" | "resolutions">;

/**
 * One per plugin instance: the compiler's parse cache, compiled results keyed by
 * content hash (the module's and every file its compile read, and what each
 * import resolved to), kept in memory and, unless `cacheDir` is false, on disk
 * across builds; and the latest outcome of each module, which the artifacts of a
 * build are collected from.
 */
export class ModuleCompiler {
  private readonly parseCache = createModuleCache();
  private readonly results = new Map<string, CacheEntry>();
  private readonly roots = new Map<string, string>();
  private readonly resolvers = new Map<string, ModuleResolver>();
  private readonly diskCaches = new Map<string, CompileCache>();
  /** Latest outcome per module file (only modules that passed the quick check). */
  readonly modules = new Map<string, ModuleOutcome>();

  private readonly root: string | undefined;
  private readonly cacheDir: string | false | undefined;
  private readonly onCompile: ((file: string) => void) | undefined;

  /**
   * `cacheDir`: where compiled modules are kept across builds; absolute. Default
   * `node_modules/.cache/cairn` in each module's project root; false: memory only.
   */
  constructor(options: { root?: string; cacheDir?: string | false; onCompile?: (file: string) => void } = {}) {
    this.root = options.root;
    this.cacheDir = options.cacheDir;
    this.onCompile = options.onCompile;
  }

  /**
   * `bundler`: what the bundler's own resolver answered for bare specifiers the
   * file-system resolver leaves unresolved (aliases), keyed by bundlerKey();
   * see bundler-resolution.ts.
   */
  transform(code: string, file: string, bundler?: ReadonlyMap<string, string | null>): ModuleOutcome {
    const source = digest(code);
    const root = this.root ?? this.projectRoot(file);
    const base = withBundler(this.baseResolver(root), bundler);
    const hit = this.results.get(file);
    if (hit && hit.inputs.source === source && hit.inputs.root === root && inputsUnchanged(hit.inputs, base)) {
      this.modules.set(file, hit.outcome);
      return hit.outcome;
    }
    const disk = this.diskCache(root);
    const stored = disk?.get(file);
    if (stored && stored.source === source && stored.root === root && inputsUnchanged(stored, base)) {
      return this.remember(file, stored, storedOutcome(code, file, stored));
    }
    this.onCompile?.(file);
    const { resolver, reads, resolutions } = recordingResolver(base);
    const compiled = compileWithLayout(code, file, resolver, { root, cache: this.parseCache });
    const result = compiled.result;
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    const warnings = result.diagnostics.filter((d) => d.severity !== "error");
    const layout = errors.length > 0 ? null : compiled.layout;
    const artifacts = errors.length > 0 ? [] : result.workflows;
    const workflows = artifacts.map((a, i) => builtWorkflow(a, result.serialized?.[i] ?? canonicalJson(a)));
    const actions = errors.length > 0 ? [] : result.actions;
    const schedules = errors.length > 0 ? [] : (result.schedules ?? []);
    const others = [...reads].filter(([dep]) => dep !== file);
    const outcome: ModuleOutcome = {
      file,
      source: code,
      output: layout && rewriteModule(code, file, layout, workflows),
      layout,
      workflows,
      actions,
      schedules,
      errors,
      warnings,
      deps: others.map(([dep]) => dep),
    };
    const inputs: CompileInputs = {
      source,
      root,
      reads: others.map(([dep, text]): [string, string | null] => [dep, text === null ? null : digest(text)]),
      resolutions: resolutions(),
    };
    disk?.set(file, { ...inputs, workflows, actions, schedules, layout, errors, warnings });
    // The outcome holds offsets, not nodes: the tree is not needed again unless the
    // module is compiled anew (a dependency changed), which then parses it again.
    this.parseCache.release?.(resolve(file));
    return this.remember(file, inputs, outcome);
  }

  /**
   * What the given modules (a build's) compiled to: their workflows, in a stable
   * order (by file, then as compiled), and what buildConflicts needs of each.
   */
  workflowsOf(files: Iterable<string>): { workflows: BuiltWorkflow[]; schedules: ScheduleEntry[]; modules: BuildModule[]; failed: boolean } {
    const picked = [...files].filter((f) => this.modules.has(f)).sort().map((f) => this.modules.get(f)!);
    return {
      workflows: picked.flatMap((m) => m.workflows),
      schedules: picked.flatMap((m) => m.schedules),
      modules: picked.map((m) => ({
        file: m.file, workflows: m.workflows.map((w) => w.manifest.name), actions: m.actions, schedules: m.schedules.map((s) => s.name),
      })),
      failed: picked.some((m) => m.errors.length > 0),
    };
  }

  /**
   * The bare specifiers the latest compile of `file` (this process's or the disk
   * cache's) imported and the file-system resolver cannot resolve: what to ask a
   * bundler's resolver about before compiling the file again.
   */
  bareImports(file: string): Array<[specifier: string, from: string]> {
    const root = this.root ?? this.projectRoot(file);
    const recorded = this.results.get(file)?.inputs.resolutions ?? this.diskCache(root)?.get(file)?.resolutions ?? [];
    const base = this.baseResolver(root);
    return recorded.filter(([specifier, from]) => isBare(specifier) && base.resolve(specifier, from) === null).map(([specifier, from]) => [specifier, from]);
  }

  /** Writes the compiles of this build to the disk cache (bundlers call it at the end of a build). */
  flush(): void {
    for (const cache of this.diskCaches.values()) cache.flush();
  }

  /** Forgets a deleted module (watch mode). */
  forget(file: string): void {
    this.modules.delete(file);
    this.results.delete(file);
  }

  private remember(file: string, inputs: CompileInputs, outcome: ModuleOutcome): ModuleOutcome {
    this.results.set(file, { inputs, outcome });
    this.modules.set(file, outcome);
    return outcome;
  }

  private baseResolver(root: string): ModuleResolver {
    let base = this.resolvers.get(root);
    if (!base) this.resolvers.set(root, (base = nodeResolver(root)));
    return base;
  }

  private diskCache(root: string): CompileCache | null {
    if (this.cacheDir === false) return null;
    const dir = this.cacheDir ?? join(root, "node_modules", ".cache", "cairn");
    let cache = this.diskCaches.get(dir);
    if (cache === undefined) this.diskCaches.set(dir, (cache = new CompileCache(dir)));
    return cache;
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

/** The key of a bundler answer: specifier and importing file. */
export function bundlerKey(specifier: string, from: string): string {
  return `${specifier}\0${from}`;
}

/** Not relative or absolute, and not cairn itself (never the user's code): a package, or an alias only the bundler knows. */
function isBare(specifier: string): boolean {
  return !specifier.startsWith(".") && !isAbsolute(specifier) && specifier !== PACKAGE_NAME && !specifier.startsWith(`${PACKAGE_NAME}/`);
}

/** `base`, then the bundler's answers for the bare specifiers `base` leaves unresolved. */
function withBundler(base: ModuleResolver, bundler: ReadonlyMap<string, string | null> | undefined): ModuleResolver {
  if (!bundler || bundler.size === 0) return base;
  return {
    root: base.root,
    read: (path) => base.read(path),
    resolve(specifier, from) {
      const file = base.resolve(specifier, from);
      return file === null && isBare(specifier) ? (bundler.get(bundlerKey(specifier, from)) ?? null) : file;
    },
  };
}

/** `base`, recording every file it reads (each read once per compile) and every import it resolves. */
function recordingResolver(base: ModuleResolver): {
  resolver: ModuleResolver;
  reads: Map<string, string | null>;
  /** The imports resolved so far, each once. */
  resolutions: () => CompileInputs["resolutions"];
} {
  const reads = new Map<string, string | null>();
  const resolved = new Map<string, CompileInputs["resolutions"][number]>();
  return {
    reads,
    resolutions: () => [...resolved.values()],
    resolver: {
      root: base.root,
      resolve(specifier, from) {
        const key = `${specifier}\0${from}`;
        const hit = resolved.get(key);
        if (hit) return hit[2];
        const file = base.resolve(specifier, from);
        resolved.set(key, [specifier, from, file]);
        return file;
      },
      read(path) {
        if (reads.has(path)) return reads.get(path)!;
        const text = base.read(path);
        reads.set(path, text);
        return text;
      },
    },
  };
}

/**
 * Whether a compile with these inputs would still see the same project: every
 * file it read has the same text (or is still missing), and every import still
 * resolves to the same file (a new `x.ts` can shadow `x/index.ts`).
 */
function inputsUnchanged(inputs: CompileInputs, resolver: ModuleResolver): boolean {
  for (const [file, hash] of inputs.reads) {
    const text = resolver.read(file);
    if ((text === null ? null : digest(text)) !== hash) return false;
  }
  for (const [specifier, from, resolved] of inputs.resolutions) {
    if (resolver.resolve(specifier, from) !== resolved) return false;
  }
  return true;
}

/** The outcome of a compile read back from the disk cache; the module is rewritten again from its layout and workflows. */
function storedOutcome(code: string, file: string, stored: CachedCompile): ModuleOutcome {
  const { layout, workflows } = stored;
  return {
    file,
    source: code,
    output: layout && rewriteModule(code, file, layout, workflows),
    layout,
    workflows,
    actions: stored.actions,
    schedules: stored.schedules ?? [],
    errors: stored.errors,
    warnings: stored.warnings,
    deps: stored.reads.map(([dep]) => dep),
  };
}
