import type { PartialMessage } from "esbuild";
import { displayPath, formatDiagnostic, formatDiagnostics } from "../diagnostics/format.ts";
import type { Diagnostic } from "../types.ts";

/**
 * Diagnostics in each bundler's own error shape. The text always comes from the
 * shared renderer, so a user reads the same `path:LINE:COL: error CODE: message`
 * and `  hint: ...` in the CLI and in every bundler.
 */

/** esbuild: one message per diagnostic; esbuild draws the frame from `lineText`, the hint is a note. */
export function esbuildMessages(ds: readonly Diagnostic[], source: string, cwd: string): PartialMessage[] {
  // Called for every compiled module, nearly always with nothing to report: skip splitting its text.
  if (ds.length === 0) return [];
  const lines = source.split(/\r?\n/);
  return ds.map((d) => {
    const lineText = lines[d.line - 1] ?? "";
    const length = d.endLine === d.line && d.endColumn !== undefined ? Math.max(0, d.endColumn - d.column) : 0;
    return {
      text: formatDiagnostic(d, { cwd }).split("\n")[0],
      location: { file: displayPath(d.file, cwd), line: d.line, column: d.column - 1, length, lineText },
      notes: [{ text: `hint: ${d.hint}` }],
    };
  });
}

/** esbuild, for errors of the build as a whole (clashes between files): no location, the hint a note. */
export function esbuildBuildMessages(ds: readonly Diagnostic[], cwd: string): PartialMessage[] {
  return ds.map((d) => ({ text: formatDiagnostic(d, { cwd }).split("\n")[0], notes: [{ text: `hint: ${d.hint}` }] }));
}

/** The fields Rollup and Vite read from a plugin error (`this.error(...)`). */
export interface RollupErrorFields {
  message: string;
  id: string;
  /** Rollup's convention: 1-based line, 0-based column. */
  loc: { file: string; line: number; column: number };
  frame: string;
}

/** Rollup / Vite: every error of the file in one message (with frames), `loc` and `frame` of the first. */
export function rollupError(ds: readonly Diagnostic[], source: string, cwd: string): RollupErrorFields {
  const first = ds[0];
  const firstBlock = formatDiagnostic(first, { cwd, source }).split("\n");
  return {
    message: formatDiagnostics(ds, { cwd, sources: new Map([[first.file, source]]) }),
    id: first.file,
    loc: { file: first.file, line: first.line, column: first.column - 1 },
    // No `pluginCode`: Vite's dev server takes its presence to mean "already formatted" and would skip naming the plugin.
    frame: firstBlock.slice(2).join("\n"),
  };
}

/** webpack keeps only an error's text, so the text carries everything: locations, hints and frames. */
export function diagnosticsText(ds: readonly Diagnostic[], source: string, cwd: string): string {
  return formatDiagnostics(ds, { cwd, sources: new Map(ds.map((d) => [d.file, source])) });
}
