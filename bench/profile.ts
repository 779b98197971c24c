/**
 * Where a Cairn worker's CPU goes: one extra 3-action throughput run whose worker
 * runs under `node --cpu-prof`, summarised by area (pg driver, interpreter, durable
 * runtime, GC, ...) and by function (self time), counting only the samples taken
 * while the instances ran (not start-up). Not part of the throughput figures: the
 * profiler slows the worker down.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchContext } from "./common.ts";
import { cairnThroughput } from "./cairn-throughput.ts";
import type { Workload } from "./cairn.ts";
import type { ProfileSummary } from "./types.ts";

interface CpuProfile {
  startTime: number;
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

function areaOf(url: string, fn: string): string {
  if (fn === "(idle)") return "idle (waiting on the database)";
  if (fn === "(garbage collector)") return "garbage collector";
  if (fn === "(program)") return "V8/Node native (program)";
  if (/node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres)\//.test(url)) return "database driver (pg)";
  if (url.includes("/runtime/interpreter/")) return "interpreter";
  if (url.includes("/runtime/durable/")) return "durable runtime (worker, engine, queries)";
  if (url.includes("/runtime/") || url.includes("/ir-schema/")) return "other runtime code";
  if (url.includes("/bench/")) return "the benchmark's actions";
  if (url === "") return "V8 builtins and natives (JSON, socket writes, ...)";
  if (url.startsWith("node:")) return "Node core (streams, events, timers, async hooks)";
  return "other";
}

/** Self time by function and area, from the samples taken within `window` (µs, the profile's clock). */
export function summarize(profile: CpuProfile, window: [number, number], instances: number, actionsPerSec: number): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at >= window[0] && at <= window[1]) self.set(id, (self.get(id) ?? 0) + delta / 1000);
  });
  const totalMs = [...self.values()].reduce((a, b) => a + b, 0);
  const areas = new Map<string, number>();
  const fns = new Map<string, { name: string; where: string; area: string; ms: number }>();
  for (const [id, ms] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const where = url ? `${url.replace(/^file:\/\/.*?\/(node_modules|runtime|bench|ir-schema)\//, "$1/")}:${lineNumber + 1}` : "";
    const key = `${functionName}|${where}`;
    const entry = fns.get(key) ?? { name: functionName || "(anonymous)", where, area, ms: 0 };
    entry.ms += ms;
    fns.set(key, entry);
  }
  return {
    instances,
    actionsPerSec,
    totalMs,
    areas: [...areas].map(([area, ms]) => ({ area, share: ms / totalMs })).sort((a, b) => b.share - a.share),
    functions: [...fns.values()]
      .filter((e) => !e.name.startsWith("("))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 15)
      .map((e) => ({ name: e.name, where: e.where, area: e.area, share: e.ms / totalMs })),
  };
}

/** Runs the 3-action workload with one profiled worker and summarises its profile. */
export async function profileWorker(ctx: BenchContext, url: string, workload: Workload, instances: number): Promise<ProfileSummary> {
  const dir = mkdtempSync(join(tmpdir(), "cairn-profile-"));
  try {
    const r = await cairnThroughput({ ...ctx, profileDir: dir }, url, workload, { workers: 1, instances, schema: "profiled" });
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) throw new Error("the profiled worker wrote no .cpuprofile");
    if (!r.windowUs) throw new Error("the profiled run reported no time window");
    return summarize(JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile, r.windowUs, instances, r.actionsPerSec);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
