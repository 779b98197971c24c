// What both bins (cli/bin.js: the build; cli/source-bin.js: the sources) do around main().

/**
 * A reader that stops early (`cairn status | head`) closes the pipe: the end of
 * the output, not a crash with a stack trace. Losing stderr (a log pipe) must not
 * stop a worker in the middle of its actions either.
 */
export function handleBrokenPipes() {
  process.stdout.on("error", (error) => {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === "EPIPE") process.exit(0);
    throw error;
  });
  process.stderr.on("error", (error) => {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== "EPIPE") throw error;
  });
}

/**
 * Runs the CLI on this process's arguments and exits with its code. User actions
 * may leave handles open (connection pools, timers) that would keep the process
 * alive after the command is done: flush our output, then exit.
 * @param {(argv: string[]) => Promise<number>} main
 */
export async function runCli(main) {
  const code = await main(process.argv.slice(2));
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((done) => stream.write("", done))));
  process.exit(code);
}
