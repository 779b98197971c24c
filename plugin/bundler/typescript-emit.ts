import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { EncodedSourceMap, SourceMap } from "@jridgewell/remapping";
import type * as TS from "typescript";
import type { RewrittenModule } from "../pipeline/rewrite-module.ts";

/**
 * For builds where @rollup/plugin-typescript loads TypeScript modules: that
 * plugin emits JavaScript for the whole program in its `load` hook, so every
 * transform after it, cairn's included, would see TypeScript's output (a
 * decorated class is `__esDecorate` calls by then, and every position has moved).
 * cairn therefore loads its own modules first, from the file as written, and
 * emits the rewritten module with the project's `typescript` as that plugin would
 * (its tsconfig, ES modules, helpers from tslib); the plugin still type-checks
 * the whole program.
 */
export const TYPESCRIPT_LOADER = "typescript";

/** Where TypeScript syntax needs emitting: what that plugin's default include takes. */
export const TYPESCRIPT_FILE = /\.(?:[cm]?ts|tsx)$/;

/** The package's CommonJS build exports the function itself. */
type Remapping = (typeof import("@jridgewell/remapping"))["default"];

export interface TypeScriptEmitter {
  emit(rewritten: RewrittenModule, file: string, wantsMap: boolean): { code: string; map?: SourceMap };
}

/**
 * The project's `typescript` (from the working directory, as bundler configs
 * import it) and, per folder, the nearest tsconfig.json's options with those the
 * plugin forces for a Rollup build. Throws a message when `typescript` is missing.
 */
export function typescriptEmitter(cwd: string): TypeScriptEmitter {
  let ts: typeof TS;
  try {
    ts = createRequire(join(cwd, "package.json"))("typescript") as typeof TS;
  } catch {
    throw new Error(
      `@rollup/plugin-typescript is in this build, and cairn needs the project's "typescript" package to emit the modules it rewrites; install it next to that plugin (npm i -D typescript)`,
    );
  }
  const byFolder = new Map<string, TS.CompilerOptions>();
  return {
    emit(rewritten, file, wantsMap) {
      const dir = dirname(file);
      let options = byFolder.get(dir);
      if (!options) byFolder.set(dir, (options = compilerOptions(ts, dir)));
      const out = ts.transpileModule(rewritten.code, { fileName: file, compilerOptions: { ...options, sourceMap: wantsMap } });
      // transpileModule names the map in a trailing comment; the bundler takes it from the result instead.
      const code = out.outputText.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, "\n");
      if (!wantsMap || out.sourceMapText === undefined) return { code };
      // TypeScript's map leads to the rewritten text, the rewrite's to the file as written.
      const maps = [out.sourceMapText, rewritten.map().toString()].map((text) => JSON.parse(text) as EncodedSourceMap);
      // Loaded here: only builds with this plugin and source maps need it.
      const remapping = createRequire(import.meta.url)("@jridgewell/remapping") as Remapping;
      return { code, map: remapping(maps, () => null) };
    },
  };
}

/** The nearest tsconfig's options (as tsc and editors pick it for a file), with the ones the plugin forces for a Rollup build. */
function compilerOptions(ts: typeof TS, dir: string): TS.CompilerOptions {
  const file = ts.findConfigFile(dir, ts.sys.fileExists);
  const host: TS.ParseConfigFileHost = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} };
  const parsed = file ? ts.getParsedCommandLineOfConfigFile(file, {}, host) : undefined;
  return {
    ...parsed?.options,
    module: ts.ModuleKind.ESNext,
    noEmit: false,
    emitDeclarationOnly: false,
    declaration: false,
    inlineSourceMap: false,
    inlineSources: false,
    noEmitHelpers: true,
    importHelpers: true,
  };
}
