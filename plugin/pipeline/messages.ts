import type { PartialMessage } from "esbuild";
import { displayPath, formatDiagnostic, formatDiagnostics } from "../diagnostics/format.ts";
import type { Diagnostic } from "../types.ts";

/**
 * Diagnostics in each bundler's own error shape. The text comes from the shared
 * renderer, so a user reads the same `CODE: message` and `  hint: ...` in the CLI
 * and in every bundler; where the bundler prints the position and the frame
 * itself (esbuild, Rollup, Vite), the text leaves them out, so each shows once.
 */

/** A diagnostic's text without its position: `CAIRN100: message` (the bundler says error or warning). */
function bareText(d: Diagnostic): string {
  return `${d.code}: ${d.message}`;
}

/** esbuild: one message per diagnostic; esbuild draws the frame from `lineText`, the hint is a note. */
export function esbuildMessages(ds: readonly Diagnostic[], source: string, cwd: string): PartialMessage[] {
  // Called for every compiled module, nearly always with nothing to report: skip splitting its text.
  if (ds.length === 0) return [];
  const lines = source.split(/\r?\n/);
  return ds.map((d) => {
    const lineText = lines[d.line - 1] ?? "";
    const length = d.endLine === d.line && d.endColumn !== undefined ? Math.max(0, d.endColumn - d.column) : 0;
    return {
      text: bareText(d),
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
  /** Rollup puts the file and `loc` before it; the first diagnostic's frame is `frame`. */
  message: string;
  id: string;
  /** Rollup's convention: 1-based line, 0-based column. */
  loc: { file: string; line: number; column: number };
  frame: string;
  /** Empty: a diagnostic's stack shows cairn's internals, and Rollup and Vite print a stack after the message. */
  stack: string;
}

/**
 * Rollup / Vite: every diagnostic of the file in one error, each once. The first
 * is `loc`, and its code and hint the message (Rollup and Vite print the file and
 * position with it); `frame` is its code frame followed by the others in full,
 * since both print the frame after the message, so they read in order.
 */
export function rollupError(ds: readonly Diagnostic[], source: string, cwd: string): RollupErrorFields {
  const [first, ...rest] = ds;
  const firstBlock = formatDiagnostic(first, { cwd, source }).split("\n");
  return {
    message: `${bareText(first)}\n${firstBlock[1]}`,
    id: first.file,
    loc: { file: first.file, line: first.line, column: first.column - 1 },
    // No `pluginCode`: Vite's dev server takes its presence to mean "already formatted" and would skip naming the plugin.
    frame: [firstBlock.slice(2).join("\n"), ...rest.map((d) => formatDiagnostic(d, { cwd, source }))].join("\n\n"),
    stack: "",
  };
}

/** An error whose text is all webpack shows: webpack prints an error's stack after its message, which here would be cairn's internals. */
export function stacklessError(text: string): Error {
  const error = new Error(text);
  error.stack = "";
  return error;
}

/** webpack keeps only an error's text, so the text carries everything: locations, hints and frames. */
export function diagnosticsText(ds: readonly Diagnostic[], source: string, cwd: string): string {
  return formatDiagnostics(ds, { cwd, sources: new Map(ds.map((d) => [d.file, source])) });
}
