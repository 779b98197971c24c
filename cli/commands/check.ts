import { compileFiles, conflictsOf, countErrors, renderConflicts, renderDiagnostics } from "../compile-files.ts";
import { ExitCode } from "../exit-codes.ts";
import { plural, type Output } from "../output.ts";
import { collectSourceFiles } from "../source-files.ts";

/** `cairn check <files|dirs...>`: compile only, report every diagnostic. */
export function check(paths: readonly string[], cwd: string, out: Output): ExitCode {
  const files = collectSourceFiles(paths, cwd);
  const compiled = compileFiles(files);
  out.stderr(renderDiagnostics(compiled, cwd));
  // What `cairn build` would refuse, so that a check in CI fails where the build would.
  const conflicts = conflictsOf(compiled, cwd, true);
  out.stderr(renderConflicts(conflicts, cwd));
  const compileErrors = countErrors(compiled.diagnostics);
  const errors = compileErrors + conflicts.length;
  const warnings = compiled.diagnostics.length - compileErrors;
  // Every workflow found, those with errors too: "0 workflows" beside a workflow's errors reads as "none found".
  const workflows = compiled.files.reduce((n, f) => n + (f.result.found ?? f.result.workflows).length, 0);
  out.stderr(
    `cairn check: ${plural(compiled.files.length, "file")} compiled, ${plural(workflows, "workflow")}, ` +
      `${plural(errors, "error")}, ${plural(warnings, "warning")}\n`,
  );
  return errors > 0 ? ExitCode.compileErrors : ExitCode.ok;
}
