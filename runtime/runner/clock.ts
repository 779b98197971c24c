/** Where a runner gets time from and waits on it. */
export interface Clock {
  now(): number;
  /** Resolves once `now() >= deadline` — never earlier — or as soon as `signal` aborts. */
  sleepUntil(deadline: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `fn` once `now() >= deadline` (never earlier, never synchronously); the
   * returned function cancels it. A plain callback where sleepUntil's promise and
   * abort signal would cost more than the wait itself (one per action attempt).
   */
  after(deadline: number, fn: () => void): () => void;
}

/** setTimeout cannot wait longer than this; longer waits are chained. */
export const MAX_TIMEOUT = 2 ** 31 - 1;

/** Wall-clock time. */
export function realClock(): Clock {
  return {
    now: () => Date.now(),
    after: (deadline, fn) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Timers may fire a millisecond early by Date.now(); re-arm until the deadline really passed.
      const arm = () => {
        const remaining = deadline - Date.now();
        timer = remaining <= 0 ? undefined : setTimeout(arm, Math.min(remaining, MAX_TIMEOUT));
        if (timer === undefined) fn();
      };
      timer = setTimeout(arm, Math.min(Math.max(0, deadline - Date.now()), MAX_TIMEOUT));
      return () => clearTimeout(timer);
    },
    sleepUntil: (deadline, signal) =>
      new Promise<void>((resolve) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", done);
          resolve();
        };
        // Timers may fire a millisecond early by Date.now(); re-arm until the deadline really passed.
        const arm = () => {
          const remaining = deadline - Date.now();
          if (remaining <= 0) return done();
          timer = setTimeout(arm, Math.min(remaining, MAX_TIMEOUT));
        };
        if (signal?.aborted) return resolve();
        signal?.addEventListener("abort", done);
        arm();
      }),
  };
}

export interface VirtualClock extends Clock {
  /** Timers not fired yet. */
  pending(): number;
}

interface Timer {
  deadline: number;
  seq: number;
  fire: () => void;
}

/**
 * Simulated time for tests and local runs: once the process has been quiet for
 * `settleMs` of real time (default 1 ms, after all promise callbacks and anything
 * already due ran), time jumps to the earliest timer and fires it. Timers with the
 * same deadline fire in the order they were set, so runs are deterministic. The
 * settle time lets actions that await tiny real delays (`setTimeout(0)`, quick
 * I/O) finish before a virtual timeout fires; longer real waits do not hold virtual
 * time back.
 */
export function virtualClock(options: { start?: number; settleMs?: number } = {}): VirtualClock {
  let now = options.start ?? 0;
  const settleMs = options.settleMs ?? 1;
  let seq = 0;
  let scheduled = false;
  const timers: Timer[] = [];

  const tick = () => {
    scheduled = false;
    if (timers.length === 0) return;
    timers.sort((a, b) => a.deadline - b.deadline || a.seq - b.seq);
    const timer = timers.shift()!;
    now = Math.max(now, timer.deadline);
    timer.fire();
    schedule();
  };
  const schedule = () => {
    if (scheduled || timers.length === 0) return;
    scheduled = true;
    setTimeout(tick, settleMs);
  };

  return {
    now: () => now,
    pending: () => timers.length,
    after: (deadline, fn) => {
      const timer: Timer = { deadline, seq: seq++, fire: fn };
      timers.push(timer);
      schedule();
      return () => {
        const i = timers.indexOf(timer);
        if (i >= 0) timers.splice(i, 1);
      };
    },
    sleepUntil: (deadline, signal) =>
      new Promise<void>((resolve) => {
        if (deadline <= now || signal?.aborted) return resolve();
        const timer: Timer = {
          deadline,
          seq: seq++,
          fire: () => {
            signal?.removeEventListener("abort", cancel);
            resolve();
          },
        };
        const cancel = () => {
          const i = timers.indexOf(timer);
          if (i >= 0) timers.splice(i, 1);
          resolve();
        };
        signal?.addEventListener("abort", cancel);
        timers.push(timer);
        schedule();
      }),
  };
}
