/** One compiler diagnostic, as compile() returns it and formatDiagnostics() prints it. */
export interface Diagnostic {
  code: string;
  severity: "error" | "warning";
  message: string;
  hint: string;
  /** Absolute path. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  endLine?: number;
  endColumn?: number;
}
