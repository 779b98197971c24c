import { relative, sep } from "node:path";
import { codeFrameColumns } from "@babel/code-frame";
import type { Diagnostic } from "../types.ts";

function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file) || file;
  return rel.split(sep).join("/");
}

/**
 * `rel/path.ts:LINE:COL: error CAIRN123: message`, `  hint: ...`, then (when the
 * source is known) a code frame of the offending line. The one renderer used by
 * the CLI and every bundler integration, so users see the same text everywhere.
 */
export function formatDiagnostic(d: Diagnostic, opts: { cwd: string; source?: string }): string {
  const lines = [
    `${displayPath(d.file, opts.cwd)}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`,
    `  hint: ${d.hint}`,
  ];
  if (opts.source !== undefined) {
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
