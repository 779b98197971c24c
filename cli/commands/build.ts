import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { serializeArtifact } from "../../ir-schema/index.ts";
import { compileFiles, conflictsOf, countErrors, renderConflicts, renderDiagnostics } from "../compile-files.ts";
import { ExitCode } from "../exit-codes.ts";
import { artifactFileName, createManifest, serializeManifest } from "../../ir-schema/index.ts";
import { plural, type Output } from "../output.ts";
import { collectSourceFiles } from "../source-files.ts";

/**
 * `cairn build <files|dirs...> --out <dir>`: one artifact per workflow plus
 * manifest.json. All or nothing: on any error no file is written, so a deploy
 * never picks up half a build.
 */
export function build(paths: readonly string[], outDir: string, cwd: string, out: Output): ExitCode {
  const compiled = compileFiles(collectSourceFiles(paths, cwd));
  out.stderr(renderDiagnostics(compiled, cwd));
  const errors = countErrors(compiled.diagnostics);
  if (errors > 0) {
    out.stderr(`cairn build: ${plural(errors, "error")}, nothing written\n`);
    return ExitCode.compileErrors;
  }
  const conflicts = conflictsOf(compiled, cwd, false);
  if (conflicts.length > 0) {
    out.stderr(renderConflicts(conflicts, cwd));
    out.stderr(`cairn build: ${plural(conflicts.length, "error")}, nothing written\n`);
    return ExitCode.compileErrors;
  }

  const artifacts = compiled.files.flatMap((f) => f.result.workflows);
  const dir = resolve(cwd, outDir);
  mkdirSync(dir, { recursive: true });
  for (const artifact of artifacts) writeFileSync(join(dir, artifactFileName(artifact)), serializeArtifact(artifact));
  const schedules = compiled.files.flatMap((f) => f.result.schedules ?? []);
  writeFileSync(join(dir, "manifest.json"), serializeManifest(createManifest(artifacts, schedules)));
  const also = schedules.length > 0 ? ` and ${plural(schedules.length, "schedule")}` : "";
  out.stderr(`cairn build: wrote ${plural(artifacts.length, "workflow")}${also} to ${relative(cwd, dir) || "."}\n`);
  return ExitCode.ok;
}
