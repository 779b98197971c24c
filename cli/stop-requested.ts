/** How often a command run through npm looks whether its parent is still there. */
const PARENT_POLL_MS = 250;

/**
 * Resolves on SIGINT or SIGTERM (or when `signal` aborts), or, when the command
 * runs under npm, once its parent process is gone. Called before a long-running
 * command starts anything: a signal that arrives while it starts, or right after
 * it says it is ready, must find this listener rather than Node's default handler,
 * which would kill the process mid-write.
 *
 * `npx cairn worker` (and `npm run` or `npm exec` of a script that runs it) starts
 * cairn under `sh -c` below npm; a SIGTERM to npm ends npm and that shell without
 * passing it on, and cairn would run on, orphaned. So under npm (which sets
 * `npm_command` in its children's environment) cairn watches its parent and, when
 * it is gone (the orphan is adopted by another process), stops as on SIGTERM.
 */
export function stopRequested(signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    signal?.addEventListener("abort", stop);
    if (process.env.npm_command || process.env.npm_lifecycle_event) {
      const parent = process.ppid;
      const watch = setInterval(() => {
        if (process.ppid === parent) return;
        clearInterval(watch);
        stop();
      }, PARENT_POLL_MS);
      watch.unref();
    }
  });
}
