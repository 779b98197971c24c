/**
 * The Markdown report: machine, targets (met or missed, by how much), then every
 * measurement with its ratios against the same run's pgbench and peers, and what
 * the per-action costs say limits Cairn.
 */
import { renderWaits } from "./waits.ts";
import type { Dist } from "./common.ts";
import type { LatencyResult, Results, ThroughputResult } from "./types.ts";

const f = (n: number | undefined, d = 0): string => (n === undefined || !Number.isFinite(n) ? "—" : n.toFixed(d));
const x = (n: number | undefined): string => (n === undefined || !Number.isFinite(n) ? "—" : `${n.toFixed(2)}x`);
const table = (head: string[], rows: string[][]): string =>
  [`| ${head.join(" | ")} |`, `|${head.map((h, i) => (i === 0 ? "---" : "---:")).join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

interface Target {
  name: string;
  measured: string;
  goal: string;
  met: boolean | null;
  gap: string;
}

/** Mean commits/s over the run's pgbench runs with `clients` clients. */
export function pgbenchRate(r: Results, clients: number): number | undefined {
  const runs = r.pgbench.filter((p) => p.clients === clients);
  return runs.length ? runs.reduce((a, p) => a + p.tps, 0) / runs.length : undefined;
}

/** The 8-client commit rate measured at the start of throughput round `round`, else the run's mean. */
function pgbench8For(r: Results, round: number | undefined): number | undefined {
  return r.pgbench.find((p) => p.clients === 8 && p.phase === `round ${round}`)?.tps ?? pgbenchRate(r, 8);
}

type Run = ThroughputResult & { rounds: number[] };

/** One row per system/workload/mode: the best round, with every round's actions/s. */
function bestRuns(r: Results): Run[] {
  const groups = new Map<string, ThroughputResult[]>();
  for (const t of r.throughput) {
    const key = `${t.system}|${t.workload}|${t.mode}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return [...groups.values()].map((ts) => ({
    ...ts.reduce((b, t) => (t.actionsPerSec > b.actionsPerSec ? t : b)),
    rounds: ts.map((t) => t.actionsPerSec),
  }));
}

const find = (r: Results, system: string, workload: string, pred: (t: ThroughputResult) => boolean = () => true): Run[] =>
  bestRuns(r).filter((t) => t.system === system && t.workload === workload && pred(t));
const best = (ts: Run[]) => ts.reduce<Run | undefined>((b, t) => (!b || t.actionsPerSec > b.actionsPerSec ? t : b), undefined);
const lat = (r: Results, system: string): LatencyResult | undefined => r.latency.find((l) => l.system === system);
const SEQ = "3-action sequence";

function targets(r: Results): Target[] {
  const out: Target[] = [];
  const ratioTarget = (name: string, value: number | undefined, goal: number, higherIsBetter: boolean, unit = "x") => {
    const met = value === undefined ? null : higherIsBetter ? value >= goal : value <= goal;
    const gap = met === null ? "not measured" : met ? "met" : higherIsBetter ? `missed: ${f(goal / value!, 1)}x short` : `missed: ${f(value! / goal, 1)}x over`;
    out.push({ name, measured: value === undefined ? "—" : unit === "x" ? x(value) : `${f(value, 2)} ${unit}`, goal: `${higherIsBetter ? ">=" : "<="} ${goal}${unit === "x" ? "x" : ` ${unit}`}`, met, gap });
  };
  // The same number of processes on each side, at 1 and at 2 (the issue names no count; both are shown).
  for (const n of [1, 2]) {
    const cairn = find(r, "cairn", SEQ, (t) => t.processes === n)[0];
    const each = n === 1 ? "1 process each" : `${n} processes each`;
    const dbos = best(find(r, "dbos", SEQ, (t) => t.processes === n));
    ratioTarget(`Cairn / DBOS actions/s, 3-action workflow, ${each}`, cairn && dbos ? cairn.actionsPerSec / dbos.actionsPerSec : undefined, 4, true);
    const graphile = best(find(r, "graphile", SEQ, (t) => t.processes === n));
    ratioTarget(`Cairn / graphile-worker actions/s, 3-action workflow, ${each}`, cairn && graphile ? cairn.actionsPerSec / graphile.actionsPerSec : undefined, 4, true);
  }
  // Each round against the pgbench run that opened it; the best round counts.
  const shares = r.throughput
    .filter((t) => t.system === "cairn" && t.workload === SEQ)
    .map((t) => t.actionsPerSec / (pgbench8For(r, t.round) ?? NaN))
    .filter(Number.isFinite);
  ratioTarget("Cairn actions/s (best round, 3-action) / pgbench 8-client commits/s of that round", shares.length ? Math.max(...shares) : undefined, 0.3, true);
  const lc = lat(r, "cairn");
  const ld = lat(r, "dbos");
  ratioTarget("Cairn / DBOS p50 start() -> result(), 3-action workflow", lc && ld ? lc.total.p50 / ld.total.p50 : undefined, 0.8, false);
  ratioTarget("Cairn p50 action -> next action", lc?.actionToNext.p50, 1, false, "ms");
  const s = r.sleep;
  const growth = s ? s.rssSleepingMb - s.rssBeforeMb : undefined;
  ratioTarget(`Worker RSS growth with ${s?.instances ?? "N"} instances asleep (flat: <= 25 MB)`, growth, 25, false, "MB");
  return out;
}

const distCells = (d: Dist) => [f(d.p50, 2), f(d.p99, 2)];

function perAction(t: Run): string[] {
  const locks = t.lockWaitShare === undefined ? "—" : f(t.lockWaitShare * 100);
  return [f(t.dbTransactions / t.actions, 2), f(t.cpu.processMs / t.actions, 2), f(t.cpu.postgresMs / t.actions, 2), locks, f(t.cpu.machineBusy * 100)];
}

function observations(r: Results): string[] {
  const lines: string[] = [];
  const cores = r.machine.cores;
  const pg8 = pgbenchRate(r, 8);
  for (const t of [best(find(r, "cairn", SEQ)), best(find(r, "dbos", SEQ)), best(find(r, "graphile", SEQ))]) {
    if (!t) continue;
    const cpuPerAction = (t.cpu.processMs + t.cpu.postgresMs + (t.system === "cairn" || t.system === "graphile" ? t.cpu.clientMs : 0)) / t.actions;
    const ceiling = (cores * 1000) / cpuPerAction;
    const txPerAction = t.dbTransactions / t.actions;
    lines.push(
      `- **${t.system}** (${t.mode}, ${f(t.actionsPerSec)} actions/s): ${f(txPerAction, 2)} database transactions and ` +
        `${f(cpuPerAction, 2)} ms of CPU (own processes ${f(t.cpu.processMs / t.actions, 2)}, Postgres backends ${f(t.cpu.postgresMs / t.actions, 2)}) per action. ` +
        `If CPU were the only limit, ${cores} cores would allow ~${f(ceiling)} actions/s; ` +
        (pg8 ? `if commits were, pgbench's ${f(pg8)} commits/s / ${f(txPerAction, 2)} = ~${f(pg8 / txPerAction)} actions/s. ` : "") +
        `The machine was ${f(t.cpu.machineBusy * 100)}% busy during the run.`,
    );
  }
  const fan = [1, 2].map((p) => find(r, "cairn", "10-way fan-out", (t) => t.processes === p)[0]);
  const seq = [1, 2].map((p) => find(r, "cairn", SEQ, (t) => t.processes === p)[0]);
  if (fan[0] && fan[1] && seq[0] && seq[1]) {
    lines.push(
      `- **Scaling out**: a second worker process gives ${x(seq[1].actionsPerSec / seq[0].actionsPerSec)} on the sequence and ` +
        `${x(fan[1].actionsPerSec / fan[0].actionsPerSec)} on the fan-out; the fan-out runs at ${x(fan[0].actionsPerSec / seq[0].actionsPerSec)} ` +
        `the sequence's actions/s with one worker. Of the database backends sampled busy, ${f((fan[1].lockWaitShare ?? NaN) * 100)}% were ` +
        `waiting on a lock in the 2-worker fan-out (${f((fan[0].lockWaitShare ?? NaN) * 100)}% with one worker, ` +
        `${f((seq[1].lockWaitShare ?? NaN) * 100)}% in the 2-worker sequence), with the machine ${f(fan[1].cpu.machineBusy * 100)}% busy: ` +
        `a fan-out's ten sibling completions all advance the same instance row.`,
    );
  }
  if (r.scale.length >= 2) {
    const a = r.scale[0]!;
    const b = r.scale[r.scale.length - 1]!;
    lines.push(
      `- **Cost vs. amount of work**: from ${a.instances} to ${b.instances} instances, Postgres CPU per action went ` +
        `${f(a.postgresCpuPerAction, 2)} -> ${f(b.postgresCpuPerAction, 2)} ms and worker CPU per action ` +
        `${f(a.workerCpuPerAction, 2)} -> ${f(b.workerCpuPerAction, 2)} ms (actions/s ${f(a.actionsPerSec)} -> ${f(b.actionsPerSec)}).`,
    );
  }
  const lc = lat(r, "cairn");
  if (lc) {
    const commitMs = r.pgbench.find((p) => p.clients === 1)?.latencyMs;
    lines.push(
      `- **Cairn latency**: action -> next action p50 ${f(lc.actionToNext.p50, 2)} ms, start() -> first action p50 ` +
        `${f(lc.startToFirst.p50, 2)} ms, last action -> result() p50 ${f(lc.lastToResult.p50, 2)} ms, against a one-client ` +
        `pgbench commit of ${f(commitMs, 2)} ms: each hop costs ~${commitMs ? f(lc.actionToNext.p50 / commitMs, 1) : "—"} commits' worth of time ` +
        `(the machine was ${f(lc.machineBusy * 100)}% busy meanwhile). One instance committed ${f(lc.txPerInstance, 1)} transactions ` +
        `(DBOS ${f(lat(r, "dbos")?.txPerInstance, 1)}, graphile-worker ${f(lat(r, "graphile")?.txPerInstance, 1)}), polls and set-up included. ` +
        "Between one action and the next the worker makes one round trip: the step's single write statement (instance, " +
        "finished and next task, history rows; committed on its own), with the next action already claimed by it; the rest " +
        "of a hop is that statement's execution, the worker's own processing and the scheduling of two processes on the cores.",
    );
  }
  return lines;
}

export function renderReport(r: Results): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(`# Cairn runtime benchmark, ${m.date}${m.quick ? " (quick run: small counts, not for comparison)" : ""}`, "");
  out.push(
    `Machine: ${m.cores} cores (${m.cpuModel}), ${f(m.memoryGb)} GB RAM, Node ${m.node}; PostgreSQL ${m.postgres.server_version} ` +
      `(fsync=${m.postgres.fsync}, synchronous_commit=${m.postgres.synchronous_commit}, shared_buffers=${m.postgres.shared_buffers} x 8kB, ` +
      `max_connections=${m.postgres.max_connections}), same server for every system. Peers: ${Object.entries(m.versions).map(([k, v]) => `${k} ${v}`).join(", ")}. ` +
      `Worker concurrency ${m.concurrency} for every system. Suite time ${f(r.totalSeconds)} s.`,
    "",
  );
  out.push("## Targets", "");
  out.push(table(["target", "measured", "goal", "status"], targets(r).map((t) => [t.name, t.measured, t.goal, t.met === null ? "not measured" : t.met ? "met" : `**${t.gap}**`])), "");

  out.push("## 1. The physical limit: pgbench, one-row UPDATE per transaction", "");
  out.push(table(["when", "clients", "seconds", "commits/s", "latency ms"], r.pgbench.map((p) => [p.phase, String(p.clients), String(p.seconds), f(p.tps), f(p.latencyMs, 2)])), "");
  const pg8 = pgbenchRate(r, 8);
  out.push(
    `A throughput round's ratios use the 8-client run that opened it; other ratios use the mean of all runs: ` +
      `${f(pgbenchRate(r, 1))} commits/s (1 client), ${f(pg8)} commits/s (8 clients).`,
    "",
  );

  out.push("## 2. Throughput", "");
  const seqBase = (t: Run, system: string) => {
    const peer = find(r, system, SEQ, (p) => p.processes === t.processes);
    const b = best(peer);
    return t.system === "cairn" && t.workload === SEQ && b ? x(t.actionsPerSec / b.actionsPerSec) : "";
  };
  out.push(
    table(
      ["system", "workload", "mode", "instances", "seconds", "instances/s", "actions/s", "each round", "actions/s / pgbench(8)", "Cairn / DBOS", "Cairn / graphile", "tx/action", "own CPU ms/action", "Postgres CPU ms/action", "lock waits %", "machine busy %"],
      bestRuns(r).map((t) => [
        t.system, t.workload, t.mode, String(t.instances), f(t.seconds, 2), f(t.instancesPerSec), f(t.actionsPerSec), t.rounds.map((a) => f(a)).join(" / "),
        x(t.actionsPerSec / (pgbench8For(r, t.round) ?? NaN)), seqBase(t, "dbos"), seqBase(t, "graphile"), ...perAction(t),
      ]),
    ),
    "",
  );
  out.push(
    "Actions are no-ops; for the peers an action is a DBOS step or a graphile-worker job. Each configuration ran in every round " +
      "(systems interleaved); the row shows its best round. Cairn / peer compares the same number " +
      "of processes (the peer's best mode at that count). tx/action counts every transaction committed in the system's database " +
      "(read-only ones, set-up and the benchmark's own completion polls included). lock waits %: of the Cairn database's backends " +
      "sampled running a statement (every 250 ms), the share waiting on a lock.",
    "",
  );

  out.push("## 3. Latency (one instance at a time; ms)", "");
  out.push(
    table(
      ["system", "mode", "start -> 1st action p50", "p99", "action -> next p50", "p99", "last action -> result p50", "p99", "start -> result p50", "p99", "tx/instance", "machine busy %"],
      r.latency.map((l) => [
        l.system, l.mode, ...distCells(l.startToFirst), ...distCells(l.actionToNext), ...distCells(l.lastToResult), ...distCells(l.total),
        f(l.txPerInstance, 1), f(l.machineBusy * 100),
      ]),
    ),
    "",
  );
  const lc = lat(r, "cairn");
  const peerRatios = ["dbos", "graphile"].flatMap((p) => {
    const lp = lat(r, p);
    return lc && lp
      ? [`Cairn / ${p}: start -> result p50 ${x(lc.total.p50 / lp.total.p50)}, action -> next p50 ${x(lc.actionToNext.p50 / lp.actionToNext.p50)}, start -> 1st action p50 ${x(lc.startToFirst.p50 / lp.startToFirst.p50)}.`]
      : [];
  });
  out.push(...peerRatios.map((l) => `- ${l}`), "");
  out.push(
    "Timestamps are taken inside the actions (`performance.timeOrigin + performance.now()`, one clock for every process on the machine) " +
      "and by the caller around start() and result(). Samples after warm-up: " + (lc ? String(lc.total.n) : "—") + " per system, " +
      "taken in rounds with the systems interleaved. tx/instance: transactions committed in the system's database per instance " +
      "(worker polls and set-up included).",
    "",
  );

  out.push("## 4. Sleep and scale", "");
  if (r.sleep) {
    const s = r.sleep;
    out.push(
      table(
        ["instances asleep", "sleep ms", "worker RSS before MB", "while asleep MB", "after all woke MB", "growth while asleep MB", "wake-up to all done s", "completed", "woke early"],
        [[String(s.instances), String(s.sleepMs), f(s.rssBeforeMb, 1), f(s.rssSleepingMb, 1), f(s.rssAfterMb, 1), f(s.rssSleepingMb - s.rssBeforeMb, 1), f(s.wakeSeconds, 1), String(s.completed), String(s.early)]],
      ),
      "",
    );
  }
  if (r.scale.length) {
    const base = r.scale[0]!;
    out.push(
      table(
        ["instances (3-action, 1 worker)", "seconds", "actions/s", "vs smallest", "worker CPU ms/action", "Postgres CPU ms/action"],
        r.scale.map((s) => [String(s.instances), f(s.seconds, 2), f(s.actionsPerSec), x(s.actionsPerSec / base.actionsPerSec), f(s.workerCpuPerAction, 2), f(s.postgresCpuPerAction, 2)]),
      ),
      "",
    );
  }

  if (r.profile) {
    const p = r.profile;
    out.push(
      `## 5. Where a worker's CPU goes`,
      "",
      `One extra run, not counted above: ${p.instances} instances of the 3-action workflow, one worker under \`node --cpu-prof\` ` +
        `(${f(p.actionsPerSec)} actions/s while profiled), ${f(p.totalMs)} ms sampled from the first start to the last completion. ` +
        `Shares of that time:`,
      "",
      table(["area", "share"], p.areas.map((a) => [a.area, `${f(a.share * 100, 1)}%`])),
      "",
      table(["function (self time)", "where", "area", "share"], p.functions.map((fn) => [`\`${fn.name}\``, fn.where, fn.area, `${f(fn.share * 100, 1)}%`])),
      "",
    );
  }
  if (r.waits) out.push(renderWaits(r.waits));
  out.push("## What limits Cairn", "", ...observations(r), "");
  if (r.notMeasured.length) {
    out.push("## Not measured", "", ...r.notMeasured.map((n) => `- ${n.what}: ${n.reason}`), "");
  }
  return out.join("\n");
}
