import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, cairn, REPO, tempProject } from "./cli-harness.ts";

const USAGE_HINT = "(run cairn --help for usage)\n";
const project = tempProject("outside", {
  "wf.ts": `import { workflow } from "cairnjs";\nexport const w = workflow(async function w() { return 1; });\n`,
  "notes.txt": "not TypeScript\n",
});
afterAll(() => project.cleanup());

describe.concurrent("cairn: usage errors exit 3", () => {
  it("prints help on --help and exits 0", async () => {
    const r = await cairn(["--help"], REPO);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("Usage: cairn [options] [command]\n")).toBe(true);
    for (const command of ["check", "build", "run", "start", "worker", "result", "status", "migrate", "dev"]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    }
    expect(r.stderr).toBe("");
  });

  it("prints the version", async () => {
    const r = await cairn(["--version"], REPO);
    expect(r).toEqual({ code: 0, stdout: "0.1.0\n", stderr: "" });
  });

  it("exits 3 with the usage when no command is given", async () => {
    const r = await cairn([], REPO);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr.startsWith("Usage: cairn [options] [command]\n")).toBe(true);
  });

  it("rejects an unknown command", async () => {
    const r = await cairn(["frobnicate"], REPO);
    expect(r).toEqual({ code: 3, stdout: "", stderr: `cairn: error: unknown command 'frobnicate'\n${USAGE_HINT}` });
  });

  it("rejects an unknown option", async () => {
    const r = await cairn(["check", "--frob", "wf.ts"], project.dir);
    expect(r).toEqual({ code: 3, stdout: "", stderr: `cairn: error: unknown option '--frob'\n${USAGE_HINT}` });
  });

  it("result: an id that is not a UUID is a usage error", async () => {
    const r = await cairn(["result", "not-an-id"], project.dir);
    expect(r).toEqual({ code: 3, stdout: "", stderr: "cairn: error: not a workflow instance id: not-an-id\n" });
  });

  it("check: no paths", async () => {
    const r = await cairn(["check"], project.dir);
    expect(r).toEqual({ code: 3, stdout: "", stderr: `cairn: error: missing required argument 'paths'\n${USAGE_HINT}` });
  });

  it("check: a missing file", async () => {
    const r = await cairn(["check", "wf.ts", "missing.ts"], project.dir);
    expect(r).toEqual({ code: 3, stdout: "", stderr: "cairn: error: no such file or directory: missing.ts\n" });
  });

  it("check: a file that is not TypeScript", async () => {
    const r = await cairn(["check", "notes.txt"], project.dir);
    expect(r).toEqual({ code: 3, stdout: "", stderr: "cairn: error: not a TypeScript file (.ts, .tsx, .mts): notes.txt\n" });
  });

  it("build: --out is required", async () => {
    const r = await cairn(["build", "wf.ts"], project.dir);
    expect(r).toEqual({ code: 3, stdout: "", stderr: `cairn: error: required option '-o, --out <dir>' not specified\n${USAGE_HINT}` });
  });

  it("run: --input must be JSON", async () => {
    const r = await cairn(["run", "wf.ts", "--local", "--input", "{oops"], project.dir);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^cairn: error: --input is not valid JSON \(.+\): \{oops\n$/);
  });

  it.each(["[1,2]", "null", "42", '"text"'])("run: --input %s is not an object", async (input) => {
    const r = await cairn(["run", "wf.ts", "--local", "--input", input], project.dir);
    expect(r).toEqual({
      code: 3,
      stdout: "",
      stderr: `cairn: error: --input must be a JSON object keyed by parameter name, e.g. '{"userId": "u1"}'; got: ${input}\n`,
    });
  });

  it("run: a missing file", async () => {
    const r = await cairn(["run", "nope.ts", "--local"], project.dir);
    expect(r).toEqual({ code: 3, stdout: "", stderr: "cairn: error: no such file: nope.ts\n" });
  });
});

describe.concurrent("--input from a file or standard input", () => {
  const big = "x".repeat(300_000); // over the 128 KiB a single command-line argument may hold on Linux
  const files = tempProject("outside", {
    "echo.ts": `import { workflow } from "cairnjs";\nexport const echo = workflow(async function echo(text: string, n: number) { return { len: text.length, n }; });\n`,
    "in.json": JSON.stringify({ text: big, n: 2 }),
    "list.json": "[1, 2]\n",
  });
  afterAll(() => files.cleanup());

  it("@file reads the JSON from a file, relative to the working directory", async () => {
    expect(await cairn(["run", "echo.ts", "--local", "--input", "@in.json"], files.dir)).toMatchObject({ code: 0, stdout: '{"len":300000,"n":2}\n' });
  });

  it("- reads it from standard input", () => {
    const r = spawnSync(process.execPath, [BIN, "run", "echo.ts", "--local", "--input", "-"], { cwd: files.dir, input: '{"text": "hi", "n": 1}', encoding: "utf8" });
    expect([r.status, r.stdout]).toEqual([0, '{"len":2,"n":1}\n']);
  });

  it("a missing file, or one that holds no object, is a usage error naming it", async () => {
    const missing = await cairn(["run", "echo.ts", "--local", "--input", "@nope.json"], files.dir);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^cairn: error: --input @nope\.json: cannot read nope\.json \(ENOENT: no such file or directory, open '.*nope\.json'\)\n$/);
    expect(await cairn(["start", "echo.ts", "--input", "@list.json"], files.dir)).toEqual({
      code: 3,
      stdout: "",
      stderr: `cairn: error: --input @list.json must be a JSON object keyed by parameter name, e.g. '{"userId": "u1"}'; got: [1, 2]\n`,
    });
  });
});

describe("output into a pipe that closes early", () => {
  const files = tempProject("outside", {
    "big.ts": `import { action, workflow } from "cairnjs";\nexport const make = action(async function make(n: number): Promise<string> { return "x".repeat(n); });\nexport const big = workflow(async function big(n: number) { return await make(n); });\n`,
  });
  afterAll(() => files.cleanup());

  it("ends quietly with exit 0 (cairn ... | head), not with an EPIPE stack trace", () => {
    // A megabyte of result: far over a pipe's buffer, so the write fails once head has exited.
    const script = `node ${JSON.stringify(BIN)} run big.ts --local --input '{"n": 1000000}' 2>err.txt | head -c 4; echo " $\{PIPESTATUS[0]}"`;
    const r = spawnSync("bash", ["-c", script], { cwd: files.dir, encoding: "utf8" });
    expect(r.stdout).toBe('"xxx 0\n');
    expect(readFileSync(join(files.dir, "err.txt"), "utf8")).not.toMatch(/EPIPE|Error/);
  });
});

