/**
 * `cairnjs/babel`: the cairn transform as a Babel plugin, for Babel and Jest users.
 * `plugins: [["cairnjs/babel", { outDir?, include?, exclude? }]]`.
 */
import { writeArtifactFiles } from "../pipeline/artifact-files.ts";
import { diagnosticsText } from "../pipeline/messages.ts";
import { mayUseCairn, type CairnPluginOptions } from "../pipeline/options.ts";
import { createPluginContext } from "../pipeline/plugin-context.ts";
import { applyLayout, type BabelApi, type ProgramPath } from "./apply-layout.ts";

export type { CairnPluginOptions } from "../pipeline/options.ts";

interface PluginState {
  filename?: string;
  file: { code: string };
}

type ParserPlugin = string | [string, unknown];

/**
 * Babel calls this once per configuration; the instance (parse cache and
 * content-hash cache) lives as long as Babel keeps the configuration.
 * A compile error throws, which Babel reports with the file name and Jest shows
 * as the test file's failure. With `outDir`, each workflow's artifact is written
 * there too; Babel sees one file at a time, so `manifest.json` is left to
 * `cairn build` and the bundler plugins.
 */
export default function cairnBabel(api: BabelApi, options: CairnPluginOptions = {}) {
  const ctx = createPluginContext(options);
  return {
    name: "cairn",
    manipulateOptions(_opts: unknown, parserOpts: { plugins: ParserPlugin[] }) {
      // `@workflow` needs decorator syntax; the class is replaced before any decorator transform runs.
      const names = parserOpts.plugins.map((p) => (Array.isArray(p) ? p[0] : p));
      if (!names.includes("decorators") && !names.includes("decorators-legacy")) parserOpts.plugins.push("decorators");
    },
    visitor: {
      Program(path: ProgramPath & { scope: { crawl(): void } }, state: PluginState) {
        const file = state.filename;
        const code = state.file.code;
        if (!file || !ctx.filter.test(file) || !mayUseCairn(code)) return;
        const outcome = ctx.compiler.transform(code, file);
        // Babel sees one file at a time, with no end of build; Jest's workers exit without notice.
        ctx.compiler.flush();
        if (outcome.errors.length > 0) throw new Error(`\n${diagnosticsText(outcome.errors, code, ctx.cwd)}`);
        // Babel has no warning channel of its own.
        if (outcome.warnings.length > 0) console.warn(diagnosticsText(outcome.warnings, code, ctx.cwd));
        if (!outcome.layout) return;
        applyLayout(api, path.node, outcome.layout, outcome.workflows);
        // Later plugins (e.g. the CommonJS transform Jest uses) need the new bindings in scope.
        path.scope.crawl();
        if (ctx.outDir && outcome.workflows.length > 0) {
          writeArtifactFiles(ctx.outDir, outcome.workflows.map((w) => ({ fileName: w.fileName, source: w.text })));
        }
      },
    },
  };
}
