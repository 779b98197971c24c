import { createRequire } from "node:module";
import { relative, sep } from "node:path";
import type { Diagnostic } from "./diagnostic.ts";

type CodeFrameColumns = (typeof import("@babel/code-frame"))["codeFrameColumns"];

/**
 * @babel/code-frame, loaded by the first diagnostic that shows a frame: a build
 * with none (the usual one) never pays for loading it, a fiftieth of a second in
 * a fresh process. A memo of a module, not state: it is the same function however
 * often it is loaded.
 */
let codeFrameColumnsLoaded: CodeFrameColumns | undefined;
function codeFrameColumns(...args: Parameters<CodeFrameColumns>): string {
  codeFrameColumnsLoaded ??= (createRequire(import.meta.url)("@babel/code-frame") as typeof import("@babel/code-frame")).codeFrameColumns;
  return codeFrameColumnsLoaded(...args);
}

/** `file` relative to `cwd`, with forward slashes on every platform: how every message names a file. */
export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file) || file;
  return rel.split(sep).join("/");
}

/**
 * `rel/path.ts:LINE:COL: error CAIRN123: message`, `  hint: ...`, then (when the
 * source is known) a code frame of the offending line. The one renderer used by
 * the CLI and every bundler integration, so users see the same text everywhere.
 */
export function formatDiagnostic(d: Diagnostic, opts: { cwd: string; source?: string }): string {
  // Line 0: about the file as a whole (a clash between files of a build), so no position and no frame.
  const at = d.line > 0 ? `${displayPath(d.file, opts.cwd)}:${d.line}:${d.column}` : displayPath(d.file, opts.cwd);
  const lines = [
    `${at}: ${d.severity} ${d.code}: ${d.message}`,
    `  hint: ${d.hint}`,
  ];
  if (opts.source !== undefined && d.line > 0) {
    const sameLine = d.endLine === d.line && d.endColumn !== undefined && d.endColumn > d.column;
    const frame = codeFrameColumns(
      opts.source,
      {
        start: { line: d.line, column: d.column },
        ...(sameLine ? { end: { line: d.line, column: d.endColumn } } : {}),
      },
      { highlightCode: false, linesAbove: 0, linesBelow: 0 },
    );
    if (frame) lines.push(frame);
  }
  return lines.join("\n");
}

/** All diagnostics, one block each, separated by a blank line; "" for none. */
export function formatDiagnostics(ds: readonly Diagnostic[], opts: { cwd: string; sources?: Map<string, string> }): string {
  return ds.map((d) => formatDiagnostic(d, { cwd: opts.cwd, source: opts.sources?.get(d.file) })).join("\n\n");
}
