import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import type { RunOptions } from "./commands/run.ts";
import { registerUnavailableCommands } from "./commands/unavailable.ts";
import { ExitCode, UsageError } from "./exit-codes.ts";
import { processOutput, type Output } from "./output.ts";

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code.
 * Commands are imported when chosen, so `--help` or a not-yet-available command
 * does not pay for loading the compiler and runtime.
 */
export async function main(argv: readonly string[], out: Output = processOutput, cwd = process.cwd()): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command("cairn")
    .description("Durable workflows for TypeScript, compiled ahead of time.")
    .version(packageVersion(), "-v, --version")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => out.stdout(s),
      writeErr: (s) => out.stderr(s),
      outputError: (s, write) => write(`cairn: ${s}`),
    })
    .showHelpAfterError("(run cairn --help for usage)")
    .showSuggestionAfterError();

  program
    .command("check")
    .description("compile workflow files and report every problem; exit 2 on errors")
    .argument("<paths...>", "files or directories (searched recursively)")
    .action(async (paths: string[]) => {
      const { check } = await import("./commands/check.ts");
      exitCode = check(paths, cwd, out);
    });

  program
    .command("build")
    .description("compile workflows to <dir>/<Name>.<hash>.json artifacts and <dir>/manifest.json")
    .argument("<paths...>", "files or directories (searched recursively)")
    .requiredOption("-o, --out <dir>", "output directory")
    .action(async (paths: string[], opts: { out: string }) => {
      const { build } = await import("./commands/build.ts");
      exitCode = build(paths, opts.out, cwd, out);
    });

  program
    .command("run")
    .description("compile a file and run one of its workflows to completion; prints the result as JSON")
    .argument("<file>", "a .ts file defining the workflow")
    .option("-w, --workflow <name>", "which workflow, when the file defines several")
    .option("-i, --input <json>", "the workflow's arguments, as a JSON object keyed by parameter name", "{}")
    .option("--local", "run in memory, with no database")
    .action(async (file: string, opts: RunOptions) => {
      const { run } = await import("./commands/run.ts");
      exitCode = await run(file, opts, cwd, out);
    });

  registerUnavailableCommands(program);

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    return exitCodeFor(error, out);
  }
}

function exitCodeFor(error: unknown, out: Output): number {
  if (error instanceof CommanderError) {
    // Commander already printed the message (or the help / version asked for).
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof UsageError) {
    out.stderr(`cairn: error: ${error.message}\n`);
    return ExitCode.usage;
  }
  // A bug in cairn rather than in the workflow: show the stack to make it reportable.
  out.stderr(`cairn: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return ExitCode.workflowFailed;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
