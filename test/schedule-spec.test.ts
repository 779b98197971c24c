/**
 * Which instants a schedule's spec fires at (ir-schema/schedule-spec.ts, on
 * croner): fixed dates across the DST transitions of 2026, so the expectations
 * never move with the day the suite runs.
 */
import { describe, expect, it } from "vitest";
import { scheduleSpecProblem, ticksOf } from "../ir-schema/schedule-spec.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/** `n` ticks after `from`, each the next after the one before. */
function run(spec: Parameters<typeof ticksOf>[0], timezone: string, from: string, n: number): Array<string | null> {
  const ticks = ticksOf(spec, timezone);
  const out: Array<string | null> = [];
  let t: number | null = at(from);
  for (let i = 0; i < n && t !== null; i++) out.push(iso((t = ticks.next(t))));
  return out;
}

describe("cron ticks across DST (croner)", () => {
  it("Europe/Berlin, spring forward (2026-03-29): 02:30 does not exist and fires at the first valid time after the gap, 03:00 CEST", () => {
    expect(run("30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", 3)).toEqual([
      "2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z", "2026-03-31T00:30:00.000Z",
    ]);
  });

  it("Europe/Berlin, fall back (2026-10-25): 02:30 happens twice and fires once, then at CET", () => {
    expect(run("30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", 3)).toEqual([
      "2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z", "2026-10-27T01:30:00.000Z",
    ]);
  });

  it("Europe/Berlin, every 30 minutes through the repeated hour: evenly spaced in absolute time", () => {
    expect(run("*/30 * * * *", "Europe/Berlin", "2026-10-25T00:10:00Z", 5)).toEqual([
      "2026-10-25T00:30:00.000Z", "2026-10-25T01:00:00.000Z", "2026-10-25T01:30:00.000Z", "2026-10-25T02:00:00.000Z", "2026-10-25T02:30:00.000Z",
    ]);
  });

  it("America/New_York, spring forward (2026-03-08) and fall back (2026-11-01)", () => {
    expect(run("30 2 * * *", "America/New_York", "2026-03-07T12:00:00Z", 2)).toEqual(["2026-03-08T07:00:00.000Z", "2026-03-09T06:30:00.000Z"]);
    expect(run("30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z", 2)).toEqual(["2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"]);
  });

  it("the same expression in UTC, and the 9 a.m. weekday tick of New York", () => {
    expect(run("0 3 * * *", "UTC", "2026-01-01T03:00:00Z", 2)).toEqual(["2026-01-02T03:00:00.000Z", "2026-01-03T03:00:00.000Z"]);
    // Friday 2026-01-02, then Monday 2026-01-05 (EST, UTC-5).
    expect(run("0 9 * * 1-5", "America/New_York", "2026-01-01T15:00:00Z", 2)).toEqual(["2026-01-02T14:00:00.000Z", "2026-01-05T14:00:00.000Z"]);
  });

  it("latest(at) is the last tick at or before `at`", () => {
    const ticks = ticksOf("0 3 * * *", "UTC");
    expect(iso(ticks.latest(at("2026-01-05T03:00:00Z")))).toBe("2026-01-05T03:00:00.000Z");
    expect(iso(ticks.latest(at("2026-01-05T02:59:59.999Z")))).toBe("2026-01-04T03:00:00.000Z");
  });
});

describe("interval ticks", () => {
  it("are the multiples of the interval since the epoch, the same on every worker", () => {
    const ticks = ticksOf({ every: "5m" });
    expect(iso(ticks.next(at("2026-01-01T00:02:00Z")))).toBe("2026-01-01T00:05:00.000Z");
    expect(iso(ticks.next(at("2026-01-01T00:05:00Z")))).toBe("2026-01-01T00:10:00.000Z");
    expect(iso(ticks.latest(at("2026-01-01T00:05:00Z")))).toBe("2026-01-01T00:05:00.000Z");
    expect(iso(ticksOf({ every: 1000 }).next(at("2026-01-01T00:00:00.500Z")))).toBe("2026-01-01T00:00:01.000Z");
  });
});

describe("invalid specs", () => {
  const problem = (spec: unknown, tz?: string) => {
    const p = scheduleSpecProblem(spec, tz);
    return p && [p.what, p.message];
  };
  it("are refused with the reason", () => {
    expect(problem("0 3 * * *")).toBeNull();
    expect(problem("* * * *")).toEqual(["spec", 'invalid cron expression "* * * *": expected 5 fields (minute hour day-of-month month day-of-week), found 4']);
    expect(problem("0 0 3 * * *")?.[1]).toMatch(/expected 5 fields .* found 6/);
    expect(problem("@daily")?.[1]).toMatch(/expected 5 fields .* found 1/);
    expect(problem("61 * * * *")).toEqual(["spec", 'invalid cron expression "61 * * * *": Invalid value for minute: 61']);
    expect(problem("0 0 31 2 *")).toEqual(["spec", 'invalid cron expression "0 0 31 2 *": it matches no date']);
    expect(problem({ every: "500ms" })?.[1]).toMatch(/at least 1s/);
    expect(problem({ every: "soon" })?.[1]).toMatch(/invalid schedule interval "soon"/);
    expect(problem({ every: "1s", at: 3 })?.[1]).toMatch(/expected a 5-field cron expression or \{ every: duration \}/);
    expect(problem(42)?.[0]).toBe("spec");
    expect(problem("0 3 * * *", "Mars/Olympus")).toEqual(["timezone", 'unknown time zone "Mars/Olympus": expected an IANA name such as "Europe/Berlin" or "UTC"']);
  });
});
