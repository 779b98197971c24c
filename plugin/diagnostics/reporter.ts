import type { Diagnostic } from "./diagnostic.ts";
import { Rules, fill } from "./rules.ts";
import { Situations, type SituationArgs, type SituationName } from "./situations.ts";

/** A situation's arguments as a rest parameter: none to pass when its wording has no placeholder. */
export type ArgsOf<S extends SituationName> = [keyof SituationArgs<S>] extends [never] ? [] : [args: SituationArgs<S>];

/** A node position as every parser in the pipeline provides it (Babel: 0-based columns). */
export interface Span {
  loc?: { start: { line: number; column: number }; end: { line: number; column: number } } | null;
}

/** Collects diagnostics for one compile() run; dedupes and sorts on the way out. */
export class Reporter {
  private readonly items: Diagnostic[] = [];
  private errors = 0;

  report<S extends SituationName>(name: S, file: string, at: Span | null, ...args: ArgsOf<S>): void {
    const start = at?.loc?.start ?? { line: 1, column: 0 };
    const end = at?.loc?.end;
    const d = createDiagnostic(name, file, { line: start.line, column: start.column + 1 }, ...args);
    if (end) {
      d.endLine = end.line;
      d.endColumn = end.column + 1;
    }
    this.items.push(d);
    if (d.severity === "error") this.errors++;
  }

  /** Errors reported so far (warnings do not stop a compile). */
  get errorCount(): number {
    return this.errors;
  }

  /** Sorted by file, line, column, code; identical diagnostics reported twice appear once. */
  diagnostics(): Diagnostic[] {
    const seen = new Set<string>();
    const out: Diagnostic[] = [];
    for (const d of this.items) {
      const key = `${d.file}\0${d.line}\0${d.column}\0${d.code}\0${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(d);
    }
    return out.sort(
      (a, b) =>
        (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
        a.line - b.line ||
        a.column - b.column ||
        (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
    );
  }
}

/**
 * A diagnostic of situation `name` at `at` (1-based line and column); line and
 * column 0 stand for the file as a whole, for what has no position in it (two
 * files of a build that clash), which the formatter shows without a position.
 */
export function createDiagnostic<S extends SituationName>(
  name: S, file: string, at: { line: number; column: number }, ...rest: ArgsOf<S>
): Diagnostic {
  const s = Situations[name];
  const rule: { code: string; severity?: "warning" } = Rules[s.rule];
  const args: Readonly<Record<string, string>> = rest[0] ?? {};
  return {
    code: rule.code,
    severity: rule.severity ?? "error",
    message: fill(s.message, args),
    hint: fill(s.hint, args),
    file,
    line: at.line,
    column: at.column,
  };
}
