import type { Command } from "commander";
import { UsageError } from "../exit-codes.ts";

export const DURABLE_UNAVAILABLE =
  "not available yet: needs the durable runtime (coming in the next milestone)";

/**
 * Commands of the durable runtime. They are registered now so that `cairn --help`
 * shows the whole CLI and scripts get a clear answer (exit 3) instead of
 * "unknown command" until the next milestone implements them.
 */
const DURABLE_COMMANDS: ReadonlyArray<readonly [usage: string, description: string]> = [
  ["start", "start one workflow instance durably and print its id"],
  ["worker", "run a worker for the actions and workflows found in files, artifact dirs or bundles"],
  ["result", "print a workflow instance's result"],
  ["status", "show workflow instances"],
  ["migrate", "create or upgrade cairn's Postgres tables"],
  ["dev", "run a worker against an embedded Postgres, rebuilding on change"],
];

export function registerUnavailableCommands(program: Command): void {
  for (const [name, description] of DURABLE_COMMANDS) {
    program
      .command(name)
      .description(`${description} (not available yet)`)
      .argument("[args...]")
      .allowUnknownOption()
      .helpOption(false)
      .action(() => {
        throw new UsageError(`${name}: ${DURABLE_UNAVAILABLE}`);
      });
  }
}
