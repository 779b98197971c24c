import { dirname, extname, isAbsolute, join, relative, resolve } from "node:path";
import type { Loader, OnLoadArgs, OnLoadResult, OutputFile, PluginBuild } from "esbuild";
import { ARTIFACT_SUBDIR, artifactFiles, writeArtifactFiles, type ArtifactFile } from "../pipeline/artifact-files.ts";
import { CandidateScanner } from "./candidate-scan.ts";
import { esbuildBuildMessages, esbuildMessages } from "../pipeline/messages.ts";
import { mayUseCairn } from "../pipeline/options.ts";
import { exactPaths, outsideFilter } from "./path-filters.ts";
import { readBytes } from "../resolve/file-probes.ts";
import { transformWithBundler } from "../pipeline/bundler-resolution.ts";
import { esbuildResolve } from "./bundler-resolvers.ts";
import type { PluginContext } from "../pipeline/plugin-context.ts";

const LOADERS: Record<string, Loader> = { ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx", ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "jsx" };

/**
 * esbuild, written against esbuild's own API (through unplugin's `esbuild.setup`):
 * esbuild wants `lineText` and notes on messages, which unplugin's generic error
 * path drops, and calling a JavaScript onLoad for every file of the build would
 * cost more than everything else the plugin does (see CandidateScanner).
 */
export function esbuildSetup(ctx: PluginContext) {
  return (build: PluginBuild): void => {
    const opts = build.initialOptions;
    const workDir = opts.absWorkingDir ?? process.cwd();
    const outputDir = opts.outdir ? resolve(workDir, opts.outdir) : opts.outfile ? dirname(resolve(workDir, opts.outfile)) : null;
    const scanner = new CandidateScanner(workDir, ctx.filter, outputDir ? [outputDir] : []);
    const candidates = scanner.scan();
    for (const entry of entryFiles(opts.entryPoints, workDir)) if (!candidates.has(entry) && scanner.check(entry)) candidates.add(entry);

    const seen = new Set<string>();
    let first = true;
    build.onStart(() => {
      seen.clear();
      if (first) return (first = false), undefined;
      // A context lives across rebuilds but its onLoad filter was fixed at setup.
      const missed = [...scanner.scan()].filter((f) => !candidates.has(f));
      if (missed.length === 0) return undefined;
      return {
        errors: missed.map((f) => ({
          text: `${relative(ctx.cwd, f)} started importing "cairnjs" after this esbuild context was created; dispose the context and create a new one so the cairn plugin compiles it`,
        })),
      };
    });

    const bundlerResolve = esbuildResolve(build);
    const load = async (args: OnLoadArgs): Promise<OnLoadResult | undefined> => {
      // A sync read: the compile right after blocks anyway, and a promise read costs several thread-pool round trips.
      const bytes = readBytes(args.path);
      // Not a file on disk (another plugin's module in the file namespace): not ours to load.
      if (bytes === null) return undefined;
      if (!mayUseCairn(bytes)) {
        ctx.compiler.forget(args.path);
        return undefined;
      }
      const { path } = args;
      const code = bytes.toString("utf8");
      seen.add(path);
      const outcome = await transformWithBundler(ctx.compiler, code, path, bundlerResolve);
      // esbuild takes an input source map from an inline comment.
      const contents = !outcome.output ? code : opts.sourcemap ? `${outcome.output.code}\n//# sourceMappingURL=${outcome.output.map().toUrl()}\n` : outcome.output.code;
      const ext = extname(path);
      return {
        contents,
        loader: opts.loader?.[ext] ?? LOADERS[ext] ?? "ts",
        resolveDir: dirname(path),
        errors: esbuildMessages(outcome.errors, code, ctx.cwd),
        warnings: esbuildMessages(outcome.warnings, code, ctx.cwd),
        watchFiles: outcome.deps,
      };
    };
    build.onLoad({ filter: exactPaths(candidates), namespace: "file" }, load);
    // Files outside the scanned tree (a monorepo's shared packages, `../lib`) are
    // seen only as esbuild loads them, one call each; the dependencies installed
    // around the working directory are left out of the filter, so only a
    // project's own files outside it pay that call.
    build.onLoad({ filter: outsideFilter(workDir), namespace: "file" }, (args) => (ctx.filter.test(args.path) ? load(args) : undefined));

    build.onEnd((result) => {
      ctx.compiler.flush();
      if (result.errors.length > 0) return undefined;
      const built = ctx.compiler.workflowsOf(seen);
      if (built.failed) return undefined;
      const { files, errors } = artifactFiles(built, ctx.cwd);
      if (errors.length > 0) return { errors: esbuildBuildMessages(errors, ctx.cwd) };
      if (ctx.outDir) writeArtifactFiles(ctx.outDir, files);
      else if (outputDir && opts.write === false) result.outputFiles?.push(...files.map((f) => outputFile(join(outputDir, ARTIFACT_SUBDIR), f)));
      else if (outputDir) writeArtifactFiles(join(outputDir, ARTIFACT_SUBDIR), files);
      return undefined;
    });
  };
}

function entryFiles(entryPoints: unknown, workDir: string): string[] {
  const list: unknown[] = Array.isArray(entryPoints) ? entryPoints : entryPoints && typeof entryPoints === "object" ? Object.values(entryPoints) : [];
  return list
    .map((e) => (typeof e === "string" ? e : (e as { in?: unknown })?.in))
    .filter((e): e is string => typeof e === "string")
    .map((e) => (isAbsolute(e) ? e : resolve(workDir, e)));
}

function outputFile(dir: string, f: ArtifactFile): OutputFile {
  const contents = new TextEncoder().encode(f.source);
  return { path: join(dir, f.fileName), contents, hash: "", text: f.source };
}
