/**
 * `export const x = schedule(spec, workflow, options)` compiled into the build's
 * manifest (compile(), `cairn build`, the esbuild plugin), and each misuse as a
 * build error with its code, line, column and hint (CAIRN130-137).
 */
import { readFileSync } from "node:fs";
import * as esbuild from "esbuild";
import cairnEsbuild from "cairnjs/esbuild";
import { describe, expect, it } from "vitest";
import { cairn, tempProject } from "./cli-harness.ts";
import { createProject } from "./helpers/bundler-project.ts";
import { compileFiles } from "./compile-support.ts";
import { loadWorkerSources } from "../cli/worker-sources.ts";

const WORKFLOWS = `import { workflow, Workflow } from "cairnjs";
export const report = workflow("nightly-report", async function report(region: string, scheduledAt: string) {
  return region + scheduledAt;
});
@workflow
export class Cleanup extends Workflow {
  async run() { return 1; }
}
`;

const SCHEDULES = `import { schedule } from "cairnjs";
import { report, Cleanup } from "./workflows.ts";
import * as wf from "./workflows.ts";
const ZONE = "Europe/Berlin";
export const nightly = schedule("0 3 * * *", report, { timezone: "UTC", input: { region: "eu" } });
export const hourly = schedule("0 * * * 1-5", wf.Cleanup, { timezone: ZONE, catchUp: "all", overlap: "allow" });
const often = schedule({ every: "5m" }, Cleanup, { catchUp: "none" });
export { often as every5m };
`;

/** The project root (what `source` is relative to) is the folder with the package.json. */
const PACKAGE = { "package.json": JSON.stringify({ name: "app", type: "module" }) };

describe("schedules in the manifest", () => {
  it("compile() returns one entry per exported schedule: its export name, the workflow's name, every option with its default", () => {
    const result = compileFiles({ "workflows.ts": WORKFLOWS, "main.ts": SCHEDULES });
    expect(result.diagnostics).toEqual([]);
    expect(result.schedules).toEqual([
      { name: "nightly", workflow: "nightly-report", spec: "0 3 * * *", timezone: "UTC", input: { region: "eu" }, catchUp: "latest", overlap: "skip", source: "main.ts" },
      { name: "hourly", workflow: "Cleanup", spec: "0 * * * 1-5", timezone: "Europe/Berlin", input: {}, catchUp: "all", overlap: "allow", source: "main.ts" },
      { name: "every5m", workflow: "Cleanup", spec: { every: "5m" }, timezone: "UTC", input: {}, catchUp: "none", overlap: "skip", source: "main.ts" },
    ]);
  });

  it("cairn build writes them into manifest.json, sorted by name; a build without schedules has no `schedules` key", async () => {
    const project = tempProject("outside", { ...PACKAGE, "workflows.ts": WORKFLOWS, "schedules.ts": SCHEDULES });
    try {
      const r = await cairn(["build", ".", "--out", "out"], project.dir);
      expect(r.stderr).toBe("cairn build: wrote 2 workflows and 3 schedules to out\n");
      const manifest = JSON.parse(readFileSync(`${project.dir}/out/manifest.json`, "utf8"));
      expect(manifest.schedules.map((s: { name: string; source: string }) => [s.name, s.source])).toEqual([
        ["every5m", "schedules.ts"], ["hourly", "schedules.ts"], ["nightly", "schedules.ts"],
      ]);
      const plain = await cairn(["build", "workflows.ts", "--out", "plain"], project.dir);
      expect(plain.code).toBe(0);
      expect(Object.keys(JSON.parse(readFileSync(`${project.dir}/plain/manifest.json`, "utf8")))).toEqual(["irVersion", "workflows"]);
    } finally {
      project.cleanup();
    }
  }, 30_000);

  it("the esbuild plugin writes the same entries into its manifest", async () => {
    const project = createProject("sched-esbuild", {
      "src/workflows.ts": WORKFLOWS,
      "src/index.ts": SCHEDULES.replaceAll("./workflows.ts", "./workflows.ts"),
    });
    try {
      await esbuild.build({
        absWorkingDir: project.dir, entryPoints: ["src/index.ts"], bundle: true, platform: "node", format: "esm", logLevel: "silent",
        outdir: "dist", external: ["cairnjs"], plugins: [cairnEsbuild({ cacheDir: false })],
      });
      const manifest = JSON.parse(readFileSync(project.path("dist/cairn/manifest.json"), "utf8"));
      expect(manifest.schedules.map((s: { name: string; workflow: string; source: string }) => [s.name, s.workflow, s.source])).toEqual([
        ["every5m", "Cleanup", "src/index.ts"], ["hourly", "Cleanup", "src/index.ts"], ["nightly", "nightly-report", "src/index.ts"],
      ]);
      // A worker given the bundle alone finds the same schedules among its exports.
      const sources = await loadWorkerSources(["dist/index.js"], project.dir, { stdout: () => {}, stderr: () => {} });
      const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1);
      const withoutSource = ({ source, ...rest }: { name: string; source: string }) => rest;
      expect(sources?.schedules.map(withoutSource).sort(byName)).toEqual(manifest.schedules.map(withoutSource));
    } finally {
      project.remove();
    }
  }, 30_000);

  it("two modules exporting a schedule of one name are an error of the build (CAIRN137)", async () => {
    const one = `import { schedule } from "cairnjs";\nimport { report } from "./workflows.ts";\nexport const nightly = schedule("0 3 * * *", report, { input: { region: "eu" } });\n`;
    const project = tempProject("outside", { ...PACKAGE, "workflows.ts": WORKFLOWS, "a.ts": one, "b.ts": one });
    try {
      const r = await cairn(["build", ".", "--out", "out"], project.dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("a.ts: error CAIRN137: the schedule name `nightly` is exported by more than one module (a.ts, b.ts)");
    } finally {
      project.cleanup();
    }
  }, 30_000);
});

/** Each misuse: the file, then [code, line, column] of every diagnostic. */
const MISUSES: Array<[string, string, Array<[string, number, number]>]> = [
  ["inside a function", `function f() {\n  return schedule("0 3 * * *", report);\n}\n`, [["CAIRN130", 5, 10]]],
  ["a bare statement", `schedule("0 3 * * *", report);\n`, [["CAIRN130", 4, 1]]],
  ["a let", `export let s = schedule("0 3 * * *", report);\n`, [["CAIRN130", 4, 16]]],
  ["not exported", `const s = schedule("0 3 * * *", report);\n`, [["CAIRN131", 4, 11]]],
  ["an action as the workflow", `export const s = schedule("0 3 * * *", fetchIt);\n`, [["CAIRN132", 4, 40]]],
  ["an undefined workflow", `export const s = schedule("0 3 * * *", nothing);\n`, [["CAIRN132", 4, 40]]],
  ["an invalid cron field", `export const s = schedule("61 * * * *", report);\n`, [["CAIRN133", 4, 27]]],
  ["six fields", `export const s = schedule("0 0 3 * * *", report);\n`, [["CAIRN133", 4, 27]]],
  ["an invalid interval", `export const s = schedule({ every: "often" }, report);\n`, [["CAIRN133", 4, 27]]],
  ["an unknown option", `export const s = schedule("0 3 * * *", report, { tz: "UTC" });\n`, [["CAIRN134", 4, 50]]],
  ["a bad catchUp", `export const s = schedule("0 3 * * *", report, { catchUp: "some" });\n`, [["CAIRN134", 4, 59]]],
  ["input that is not an object", `export const s = schedule("0 3 * * *", report, { input: [1] });\n`, [["CAIRN134", 4, 57]]],
  ["an unknown time zone", `export const s = schedule("0 3 * * *", report, { timezone: "Mars/Olympus" });\n`, [["CAIRN135", 4, 60]]],
  ["a computed spec", `export const s = schedule(String(3), report);\n`, [["CAIRN136", 4, 27]]],
  ["computed options", `const o = {};\nexport const s = schedule("0 3 * * *", report, o);\n`, [["CAIRN136", 5, 48]]],
  ["a computed input value", `export const s = schedule("0 3 * * *", report, { input: { at: Date.now() } });\n`, [["CAIRN136", 4, 57]]],
];

describe("schedule misuse is a build error with code, position and hint", () => {
  const header = `import { schedule, action, workflow } from "cairnjs";\nexport const fetchIt = action(async function fetchIt() { return 1; });\nexport const report = workflow(async function report() { return 1; });\n`;
  it.each(MISUSES)("%s", (_, body, expected) => {
    const { diagnostics } = compileFiles({ "main.ts": header + body });
    expect(diagnostics.map((d) => [d.code, d.line, d.column])).toEqual(expected);
    for (const d of diagnostics) expect(d.hint.length).toBeGreaterThan(10);
  });

  it("the messages say what is wrong", () => {
    const text = (body: string) => compileFiles({ "main.ts": header + body }).diagnostics.map((d) => `${d.code}: ${d.message}`);
    expect(text(`export const s = schedule("61 * * * *", report);\n`)).toEqual([
      'CAIRN133: schedule `s`: invalid cron expression "61 * * * *": Invalid value for minute: 61',
    ]);
    expect(text(`export const s = schedule("0 3 * * *", fetchIt);\n`)).toEqual([
      "CAIRN132: the workflow of schedule `s` (`fetchIt` is an action) is not a workflow defined in this build",
    ]);
    expect(text(`export const s = schedule("0 3 * * *", report, { timezone: "Mars/Olympus" });\n`)).toEqual([
      'CAIRN135: schedule `s`: unknown time zone "Mars/Olympus": expected an IANA name such as "Europe/Berlin" or "UTC"',
    ]);
  });
});
