/**
 * `cairn worker`'s settings (flags, else CAIRN_* variables, else defaults) and its
 * log lines (text and json: time, level, and a call's instance, workflow and call).
 * The processes themselves: test/cli-worker-ops.test.ts.
 */
import { describe, expect, it } from "vitest";
import { workerSettings } from "../cli/worker-settings.ts";
import { WorkerLog } from "../cli/worker-log.ts";
import { UsageError } from "../cli/exit-codes.ts";

const DEFAULTS = { pool: 10, concurrency: 50, pollMs: undefined, leaseMs: undefined, actionTimeoutMs: undefined, retentionMs: undefined, logFormat: "text", logLevel: "info", healthPort: undefined };

describe("workerSettings", () => {
  it("defaults; every setting from its variable; a flag wins over its variable", () => {
    expect(workerSettings({}, {})).toEqual(DEFAULTS);
    const env = {
      CAIRN_POOL: "4", CAIRN_CONCURRENCY: "8", CAIRN_POLL: "250ms", CAIRN_LEASE: "10s", CAIRN_ACTION_TIMEOUT: "0",
      CAIRN_RETENTION: "2d", CAIRN_LOG_FORMAT: "json", CAIRN_LOG_LEVEL: "debug", CAIRN_HEALTH_PORT: "8081",
    };
    expect(workerSettings({}, env)).toEqual({
      pool: 4, concurrency: 8, pollMs: 250, leaseMs: 10_000, actionTimeoutMs: 0, retentionMs: 2 * 86_400_000,
      logFormat: "json", logLevel: "debug", healthPort: 8081,
    });
    expect(workerSettings({ pool: "2", concurrency: "1", logFormat: "text", healthPort: "0" }, env)).toMatchObject({ pool: 2, concurrency: 1, logFormat: "text", healthPort: 0 });
    // An empty variable is unset.
    expect(workerSettings({}, { CAIRN_POOL: "" }).pool).toBe(10);
  });

  it("--quiet is --log-level warn; an explicit level wins", () => {
    expect(workerSettings({ quiet: true }, {}).logLevel).toBe("warn");
    expect(workerSettings({ quiet: true }, { CAIRN_LOG_LEVEL: "error" }).logLevel).toBe("error");
  });

  it("a bad value is a usage error naming the flag or the variable it came from", () => {
    const bad = (flags: object, env: NodeJS.ProcessEnv = {}) => {
      try {
        workerSettings(flags, env);
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      throw new Error("no error");
    };
    expect(bad({ concurrency: "0" })).toBe("--concurrency must be a positive integer, not 0");
    expect(bad({}, { CAIRN_POOL: "ten" })).toBe("CAIRN_POOL must be a positive integer, not ten");
    expect(bad({}, { CAIRN_HEALTH_PORT: "70000" })).toBe("CAIRN_HEALTH_PORT must be an integer from 0 to 65535, not 70000");
    expect(bad({ lease: "0" })).toBe("--lease must be at least 300ms, not 0");
    expect(bad({}, { CAIRN_POLL: "soon" })).toBe("CAIRN_POLL must be a duration such as 500ms, 30s, 5m, 2h or 7d, not soon");
    expect(bad({ logFormat: "xml" })).toBe("--log-format must be text or json, not xml");
    expect(bad({}, { CAIRN_LOG_LEVEL: "loud" })).toBe("CAIRN_LOG_LEVEL must be debug, info, warn or error, not loud");
  });
});

describe("WorkerLog", () => {
  const at = () => new Date("2026-12-07T03:00:00.000Z");
  const capture = (format: "text" | "json", level: "debug" | "info" | "warn" | "error") => {
    const lines: string[] = [];
    const log = new WorkerLog({ stdout: () => {}, stderr: (t) => lines.push(t) }, format, level, at);
    log.workerId = "host:1:abcd";
    return { log, lines };
  };
  const call = { instanceId: "6f0c2d9e-1111-4abc-8def-0123456789ab", workflow: "checkout", callId: "c2@1", action: "charge", attempt: 2 };
  const error = { name: "Declined", message: "no funds", ancestry: ["Declined", "Error"] } as never;

  it("text: time, level, message, then instance, workflow and call", () => {
    const { log, lines } = capture("text", "info");
    log.event({ type: "completed", ...call, ok: true });
    log.event({ type: "retry", ...call, delayMs: 2000, error });
    log.event({ type: "log", instanceId: call.instanceId, workflow: "checkout", entry: { level: "log", args: ["total %d", 7, { a: 1 }], loc: "wf.ts:3:3", callPosition: "l1" } });
    log.event({ type: "error", where: "claim", error: new Error("connection refused") });
    log.event({ type: "scheduled", schedule: "nightly", tick: Date.UTC(2026, 11, 7, 3), instanceId: call.instanceId, workflow: "report" });
    log.event({ type: "schedule-skipped", schedule: "nightly", tick: Date.UTC(2026, 11, 8, 3), error: new Error("input is missing userId") });
    log.lifecycle("worker stopped");
    const ctx = " instance=6f0c2d9e-1111-4abc-8def-0123456789ab workflow=checkout call=c2@1 action=charge attempt=2\n";
    expect(lines).toEqual([
      `2026-12-07T03:00:00.000Z info  cairn: charge done${ctx}`,
      `2026-12-07T03:00:00.000Z warn  cairn: charge failed (Declined: no funds); retrying in 2000ms${ctx}`,
      "2026-12-07T03:00:00.000Z info  cairn: total 7 { a: 1 } instance=6f0c2d9e-1111-4abc-8def-0123456789ab workflow=checkout call=l1\n",
      "2026-12-07T03:00:00.000Z error cairn: claim: connection refused (retrying)\n",
      "2026-12-07T03:00:00.000Z info  cairn: schedule nightly: tick 2026-12-07T03:00:00.000Z started instance=6f0c2d9e-1111-4abc-8def-0123456789ab workflow=report\n",
      "2026-12-07T03:00:00.000Z error cairn: schedule nightly: the tick 2026-12-08T03:00:00.000Z started nothing: input is missing userId\n",
      "2026-12-07T03:00:00.000Z info  cairn: worker stopped\n",
    ]);
  });

  it("json: one object a line; the level drops what is below it, never the start and stop lines", () => {
    const { log, lines } = capture("json", "warn");
    log.event({ type: "claimed", ...call });
    log.event({ type: "completed", ...call, ok: true });
    log.event({ type: "completed", ...call, ok: false });
    log.lifecycle("worker stopped");
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { time: "2026-12-07T03:00:00.000Z", level: "warn", msg: "charge failed", worker: "host:1:abcd", instance: call.instanceId, workflow: "checkout", call: "c2@1", action: "charge", attempt: 2 },
      { time: "2026-12-07T03:00:00.000Z", level: "info", msg: "worker stopped", worker: "host:1:abcd" },
    ]);
  });
});
