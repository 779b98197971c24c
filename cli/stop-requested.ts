/**
 * Resolves on SIGINT or SIGTERM (or when `signal` aborts). Called before a
 * long-running command starts anything: a signal that arrives while it starts, or
 * right after it says it is ready, must find this listener rather than Node's
 * default handler, which would kill the process mid-write.
 */
export function stopRequested(signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    signal?.addEventListener("abort", stop);
  });
}
