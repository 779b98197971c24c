export interface Task {
  label: string;
  run: () => void;
}

export interface Timing {
  label: string;
  bestMs: number;
  medianMs: number;
}

/**
 * Times each task over the whole corpus: `warmup` untimed rounds so the JIT has
 * settled, then `rounds` timed ones. Each round runs every task once, in turn, so
 * a burst of load from elsewhere on the machine hits all tasks alike instead of
 * skewing the ratios between them. Best shows what the code can do; median is
 * what a build typically sees.
 *
 * Time is the process's CPU time (user + system), not wall time: on a busy
 * machine wall time mostly measures the other processes. It includes V8's
 * garbage-collector threads, which is fair: allocation is part of the cost.
 */
export function measure(tasks: readonly Task[], rounds: number, warmup: number): Timing[] {
  for (let i = 0; i < warmup; i++) for (const task of tasks) task.run();
  const times = tasks.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    tasks.forEach((task, i) => {
      const start = process.cpuUsage();
      task.run();
      const used = process.cpuUsage(start);
      times[i]!.push((used.user + used.system) / 1000);
    });
  }
  return tasks.map((task, i) => ({ label: task.label, bestMs: Math.min(...times[i]!), medianMs: median(times[i]!) }));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
