/**
 * Workflows written inline in a test: the source goes to a file under test/tmp/
 * (gitignored), is compiled with the real compiler and its actions imported.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Artifact } from "../../ir-schema/index.ts";
import { compileSingle, importActions } from "./compiled.ts";
import { REPO_ROOT } from "./fixtures.ts";

export async function inlineWorkflow(name: string, source: string): Promise<{ artifact: Artifact; actions: unknown[]; file: string }> {
  const dir = join(REPO_ROOT, "test", "tmp");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, source);
  const { artifact, result } = compileSingle(file, source);
  return { artifact, actions: await importActions(result), file };
}
