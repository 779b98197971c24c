/**
 * Cairn as the benchmark drives it: workloads compiled by the real compiler, a real
 * client (`connect`, `startMany`, `start`, `result`) in this process, and real Worker
 * instances in processes of their own (bench/cairn-worker.ts). Each measurement gets
 * a fresh schema in the `cairn_bench` database.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validateArtifact, type Artifact } from "../ir-schema/index.ts";
import { compile, formatDiagnostics, nodeResolver } from "../plugin/index.ts";
import { connect, type Client } from "../runtime/durable/client.ts";
import { migrate } from "../runtime/store/migrate.ts";
import { BENCH_DIR, REPO_ROOT, spawnTs, sleep, type Child } from "./common.ts";

export type WorkloadName = "sequence" | "fanout" | "sleepy";

export interface Workload {
  name: WorkloadName;
  file: string;
  artifact: Artifact;
  /** Actions one instance runs. */
  actionsPerInstance: number;
}

const ACTIONS: Record<WorkloadName, number> = { sequence: 3, fanout: 10, sleepy: 1 };

/** Compiles bench/workloads/<name>.ts with the real compiler (schema-validated). */
export function compileWorkload(name: WorkloadName): Workload {
  const file = join(BENCH_DIR, "workloads", `${name}.ts`);
  const result = compile(readFileSync(file, "utf8"), file, nodeResolver(REPO_ROOT), { validate: validateArtifact });
  if (result.diagnostics.length > 0 || result.workflows.length !== 1) {
    throw new Error(`workload ${name} does not compile cleanly:\n${formatDiagnostics(result.diagnostics, { cwd: REPO_ROOT })}`);
  }
  return { name, file, artifact: result.workflows[0]!, actionsPerInstance: ACTIONS[name] };
}

export interface CairnRig {
  schema: string;
  client: Client;
  workers: Child[];
  /** Counts of the instances table by status. */
  /**
   * Counts of the instances table by status, and a sample of this database's
   * backends: how many run a statement, and how many of those wait on a lock.
   */
  counts(since?: number): Promise<{ completed: number; failed: number; other: number; active: number; lockWaits: number }>;
  close(): Promise<void>;
}

/**
 * A fresh schema (dropped first), a client on it and `workers` worker processes
 * serving `workload`'s actions, all ready to claim.
 */
export async function cairnRig(
  url: string,
  schema: string,
  workload: Workload,
  workers: number,
  concurrency: number,
  profileDir?: string,
  /** Fills the fresh schema before the workers start (bench/retention.ts: a million finished instances). */
  prefill?: (client: Client, schema: string) => Promise<void>,
): Promise<CairnRig> {
  const client = await connect({ url, schema, migrate: false });
  await client.db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await migrate(client.db, schema);
  await prefill?.(client, schema);
  const children = Array.from({ length: workers }, () =>
    spawnTs(
      join(BENCH_DIR, "cairn-worker.ts"),
      { BENCH_DB_URL: url, BENCH_SCHEMA: schema, BENCH_MODULE: workload.file, BENCH_CONCURRENCY: String(concurrency) },
      BENCH_DIR,
      profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
    ),
  );
  await Promise.all(children.map((c) => c.ready));
  await sleep(500); // let the workers' first claim and listen settle
  const s = `"${schema}"`;
  return {
    schema,
    client,
    workers: children,
    // `since` (epoch ms): only instances created from then on, through instances_created, so that a
    // schema holding a million earlier ones is not scanned at every poll (bench/retention.ts).
    async counts(since?: number) {
      const [row] = await client.db.query<{ completed: number; failed: number; other: number; active: number; lockWaits: number }>(
        `SELECT count(*) FILTER (WHERE status = 'completed')::int AS completed,
                count(*) FILTER (WHERE status IN ('failed', 'cancelled'))::int AS failed,
                count(*) FILTER (WHERE status NOT IN ('completed', 'failed', 'cancelled'))::int AS other,
                (SELECT count(*)::int FROM pg_stat_activity
                  WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()) AS "active",
                (SELECT count(*)::int FROM pg_stat_activity
                  WHERE datname = current_database() AND state = 'active' AND wait_event_type = 'Lock') AS "lockWaits"
           FROM ${s}.instances${since === undefined ? "" : " WHERE created_at >= to_timestamp($1::float8 / 1000)"}`,
        since === undefined ? [] : [since],
      );
      return row!;
    },
    async close() {
      await Promise.all(children.map((c) => c.stop()));
      await client.db.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      await client.close();
    },
  };
}

/** Epoch ms of the last instance to finish (database clock, which is this machine's clock). */
export async function lastFinishedAt(rig: CairnRig): Promise<number> {
  const [row] = await rig.client.db.query<{ at: number }>(
    `SELECT (extract(epoch from max(finished_at)) * 1000)::float8 AS at FROM "${rig.schema}".instances`,
  );
  return row!.at;
}

/** Starts `count` instances of the workload in batches (one transaction per batch). */
export async function startBatches(rig: CairnRig, workload: Workload, count: number, input: (n: number) => Record<string, unknown>, batch = 500): Promise<void> {
  for (let i = 0; i < count; i += batch) {
    const inputs = Array.from({ length: Math.min(batch, count - i) }, (_, k) => input(i + k));
    await rig.client.startMany(workload.artifact, inputs);
  }
}
