import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import type { RunOptions } from "./commands/run.ts";
import type { StartOptions } from "./commands/start.ts";
import type { WorkerCommandOptions } from "./commands/worker.ts";
import { ExitCode, UsageError } from "./exit-codes.ts";
import { processOutput, type Output } from "./output.ts";
import { missingOptionalPackage } from "../runtime/missing-package.ts";
import { otelRegistered } from "../runtime/telemetry/registered.ts";

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
    .option("-i, --input <json>", "the workflow's arguments, as a JSON object keyed by parameter name (@file.json: read from a file; -: from standard input)", "{}")
    .option("--local", "run in memory, with no database (default: durably, on DATABASE_URL or the embedded Postgres)")
    .option("--skip-time", "with --local: sleeps and retry backoffs end at once (a workflow that sleeps an hour runs in milliseconds)")
    .option("--send <topic=json>", "send a message as the run starts (repeatable; kept until the workflow receives it)", (v: string, prev: string[] = []) => [...prev, v])
    .action(async (file: string, opts: RunOptions) => {
      const { run } = await import("./commands/run.ts");
      exitCode = await run(file, opts, cwd, out);
    });

  program
    .command("start")
    .description("register a workflow's IR and start one instance durably; prints its id")
    .argument("[file]", "a .ts file defining the workflow, or a directory of prebuilt IR (manifest.json + artifacts)")
    .option("--ir <dir>", "start from prebuilt IR (cairn build --out, or a bundler plugin's output) instead of a .ts file")
    .option("-w, --workflow <name>", "which workflow, when the file or directory holds several")
    .option("-i, --input <json>", "the workflow's arguments, as a JSON object keyed by parameter name (@file.json: read from a file; -: from standard input)", "{}")
    .option("-k, --idempotency-key <key>", "start at most one instance for this key")
    .action(async (file: string | undefined, opts: StartOptions) => {
      const { start } = await import("./commands/start.ts");
      exitCode = await start(file, opts, cwd, out);
    });

  program
    .command("worker")
    .description("run a worker for the actions and workflows in files, directories, artifact dirs or bundles")
    .argument("[paths...]", ".ts files or directories, artifact directories (with manifest.json), or built .js bundles")
    .option("--ir <dir...>", "directories of prebuilt IR (manifest.json + artifacts)")
    .option("-c, --concurrency <n>", "actions run at once (env CAIRN_CONCURRENCY; default 50)")
    .option("--pool <n>", "database connections (env CAIRN_POOL; default 10)")
    .option("--poll <duration>", "look for work this often when no notification comes (env CAIRN_POLL; default 1s)")
    .option("--lease <duration>", "lease on a running task, renewed every third of it; a crashed worker's tasks run again after about 1.3 leases (env CAIRN_LEASE; default 30s)")
    .option("--action-timeout <duration>", "timeout of an action attempt whose call sets none; 0: none (env CAIRN_ACTION_TIMEOUT; default 10m)")
    .option("--retention <duration>", "delete finished instances (with their tasks and history) this long after they finished; 0: keep them (env CAIRN_RETENTION; default 7d)")
    .option("--log-format <format>", "text or json, one record a line (env CAIRN_LOG_FORMAT; default text)")
    .option("--log-level <level>", "debug, info, warn or error (env CAIRN_LOG_LEVEL; default info)")
    .option("--health-port <port>", "serve GET /healthz and /readyz on this port (env CAIRN_HEALTH_PORT; 0: any free port)")
    .option("-q, --quiet", "no per-call progress: --log-level warn")
    .action(async (paths: string[], opts: WorkerCommandOptions) => {
      const { worker } = await import("./commands/worker.ts");
      exitCode = await worker(paths, opts, cwd, out);
    });

  program
    .command("result")
    .description("print an instance's result as JSON (exit 0), its error on stderr (exit 1), or exit 4 while it runs")
    .argument("<id>", "the instance id printed by cairn start")
    .option("--wait", "wait until the instance finishes")
    .action(async (id: string, opts: { wait?: boolean }) => {
      const { result } = await import("./commands/result.ts");
      exitCode = await result(id, opts, cwd, out);
    });

  program
    .command("prune")
    .description("delete finished instances (completed, failed, cancelled) older than a duration, with their tasks and history; prints how many")
    .option("--older-than <duration>", "how long ago they finished", "7d")
    .action(async (opts: { olderThan?: string }) => {
      const { prune } = await import("./commands/prune.ts");
      exitCode = await prune(opts, cwd, out);
    });

  program
    .command("cancel")
    .description("cancel an instance: no further step runs and it fails with a CancelledError")
    .argument("<id>", "the instance id printed by cairn start")
    .option("-r, --reason <text>", "recorded as the CancelledError's message", "cancelled")
    .action(async (id: string, opts: { reason?: string }) => {
      const { cancel } = await import("./commands/cancel.ts");
      exitCode = await cancel(id, opts, cwd, out);
    });

  program
    .command("send")
    .description("send a message to a running instance: its next receive(topic) gets it")
    .argument("<id>", "the instance id printed by cairn start")
    .argument("<topic>", "the topic the workflow receives on")
    .option("-m, --message <json>", "the message: JSON, @file or - (standard input); default true")
    .option("--idempotency-key <key>", "a send repeated with the same key is stored once")
    .action(async (id: string, topic: string, opts: { message?: string; idempotencyKey?: string }) => {
      const { send } = await import("./commands/send.ts");
      exitCode = await send(id, topic, opts, cwd, out);
    });

  program
    .command("status")
    .description("list recent instances, or show one: its position, tasks and history")
    .argument("[id]", "an instance id")
    .option("--json", "print JSON")
    .option("-n, --limit <n>", "how many instances to list", "20")
    .action(async (id: string | undefined, opts: { json?: boolean; limit?: string }) => {
      const { status } = await import("./commands/status.ts");
      exitCode = await status(id, opts, cwd, out);
    });

  program
    .command("schedules")
    .description("list the schedules workers have registered (next tick, last instance, state), or pause/resume one")
    .argument("[action]", "pause or resume")
    .argument("[name]", "the schedule's name (its export name)")
    .option("--json", "print JSON")
    .action(async (action: string | undefined, name: string | undefined, opts: { json?: boolean }) => {
      const { schedules } = await import("./commands/schedules.ts");
      exitCode = await schedules(action, name, opts, cwd, out);
    });

  program
    .command("graph")
    .description("print a workflow's control-flow graph (Mermaid or Graphviz DOT) from a .ts file or its compiled IR")
    .argument("<target>", "a .ts file, an artifact .json, or an artifact directory (manifest.json + artifacts)")
    .option("-w, --workflow <name>", "which workflow, when there are several")
    .option("-f, --format <format>", "mermaid or dot", "mermaid")
    .action(async (target: string, opts: { workflow?: string; format?: string }) => {
      const { graph } = await import("./commands/graph.ts");
      exitCode = await graph(target, opts, cwd, out);
    });

  program
    .command("ui")
    .description("serve the web UI (instances, their graphs and timelines, workflows, schedules) on the database the other commands use")
    .option("-p, --port <port>", "port (0: any free port)", "4400")
    .option("--host <host>", "address to bind; any other than a loopback address requires a token", "127.0.0.1")
    .option("--token <token>", "require this token on every request (env CAIRN_UI_TOKEN)")
    .action(async (opts: { port?: string; host?: string; token?: string }) => {
      const { ui } = await import("./commands/ui.ts");
      exitCode = await ui(opts, cwd, out);
    });

  program
    .command("migrate")
    .description("create or upgrade cairn's tables (workers and clients also do this at start)")
    .action(async () => {
      const { migrate } = await import("./commands/migrate.ts");
      exitCode = await migrate(cwd, out);
    });

  program
    .command("dev")
    .description("local development: embedded Postgres + a worker that restarts when your code changes")
    .argument("[paths...]", "what to serve (default: the current directory)")
    .option("--stop", "stop the embedded Postgres of this directory (.cairn/pg) and exit")
    .option("--ui-port <port>", "port of the web UI (cairn ui) it serves on 127.0.0.1 (taken: any free one)", "4400")
    .option("--no-ui", "do not serve the web UI")
    .action(async (paths: string[], opts: { stop?: boolean; ui?: boolean; uiPort?: string }) => {
      const { dev, stopDev } = await import("./commands/dev.ts");
      exitCode = opts.stop ? await stopDev(paths, cwd, out) : await dev(paths, cwd, out, opts);
    });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    return exitCodeFor(error, out);
  } finally {
    // The process exits next: spans an SDK registered with --import still holds go out
    // first. The API's global registry exists only once something registered with it,
    // so without an SDK not even @opentelemetry/api is loaded (cairn --version stays fast).
    if (otelRegistered()) {
      await (await import("../runtime/telemetry/flush.ts")).flushTelemetry(2000);
    }
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
  // A production install left out what this command needs (the compiler, tsx, the embedded server).
  const missing = missingOptionalPackage(error);
  if (missing) {
    out.stderr(`cairn: error: ${missing.message}\n`);
    return ExitCode.usage;
  }
  // A bug in cairn rather than in the workflow: show the stack to make it reportable.
  out.stderr(`cairn: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return ExitCode.workflowFailed;
}

/**
 * The package's version, from its package.json: one folder up from the sources
 * (cli/main.ts), two from the build (dist/runtime/cli.js).
 */
function packageVersion(): string {
  for (const up of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), "utf8")) as { name?: string; version: string };
      if (pkg.name === "cairnjs") return pkg.version;
    } catch {
      // Not this folder: try the next.
    }
  }
  return "unknown";
}
