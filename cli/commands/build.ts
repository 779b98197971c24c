import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { serializeArtifact } from "../../ir-schema/index.ts";
import { compileFiles, countErrors, renderDiagnostics, type CompiledFile } from "../compile-files.ts";
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
  const duplicates = duplicateNames(compiled.files, cwd);
  if (duplicates.length > 0) {
    for (const line of duplicates) out.stderr(`error: ${line}\n`);
    out.stderr(`cairn build: ${plural(duplicates.length, "error")}, nothing written\n`);
    return ExitCode.compileErrors;
  }

  const artifacts = compiled.files.flatMap((f) => f.result.workflows);
  const dir = resolve(cwd, outDir);
  mkdirSync(dir, { recursive: true });
  for (const artifact of artifacts) writeFileSync(join(dir, artifactFileName(artifact)), serializeArtifact(artifact));
  writeFileSync(join(dir, "manifest.json"), serializeManifest(createManifest(artifacts)));
  out.stderr(`cairn build: wrote ${plural(artifacts.length, "workflow")} to ${relative(cwd, dir) || "."}\n`);
  return ExitCode.ok;
}

/** Workflow names must be unique across a build: the runtime looks workflows up by name. */
function duplicateNames(files: readonly CompiledFile[], cwd: string): string[] {
  const byName = new Map<string, string[]>();
  for (const file of files) {
    for (const artifact of file.result.workflows) {
      const where = relative(cwd, file.path);
      byName.set(artifact.name, [...(byName.get(artifact.name) ?? []), where]);
    }
  }
  return [...byName]
    .filter(([, where]) => where.length > 1)
    .map(([name, where]) => `workflow name "${name}" is defined more than once (${where.join(", ")}); names must be unique`);
}
