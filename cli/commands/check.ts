import { compileFiles, countErrors, renderDiagnostics } from "../compile-files.ts";
import { ExitCode } from "../exit-codes.ts";
import { plural, type Output } from "../output.ts";
import { collectSourceFiles } from "../source-files.ts";

/** `cairn check <files|dirs...>`: compile only, report every diagnostic. */
export function check(paths: readonly string[], cwd: string, out: Output): ExitCode {
  const files = collectSourceFiles(paths, cwd);
  const compiled = compileFiles(files);
  out.stderr(renderDiagnostics(compiled, cwd));
  const errors = countErrors(compiled.diagnostics);
  const warnings = compiled.diagnostics.length - errors;
  const workflows = compiled.files.reduce((n, f) => n + f.result.workflows.length, 0);
  out.stderr(
    `cairn check: ${plural(compiled.files.length, "file")} compiled, ${plural(workflows, "workflow")}, ` +
      `${plural(errors, "error")}, ${plural(warnings, "warning")}\n`,
  );
  return errors > 0 ? ExitCode.compileErrors : ExitCode.ok;
}
