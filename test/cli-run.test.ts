import { mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cairn, REPO, tempProject } from "./cli-harness.ts";

const ORDERS = `import { action, workflow, Workflow, sleep } from "cairnjs";

export class Declined extends Error {}

export const add = action(async function add(a: number, b: number): Promise<number> {
  return a + b;
});

export const charge = action("charge-card", async (amount: number): Promise<string> => {
  if (amount > 100) throw new Declined(\`amount \${amount} over limit\`);
  return \`ch_\${amount}\`;
});

export const total = workflow(async function total(xs: number[], label: string) {
  let sum = 0;
  for (const x of xs) {
    sum = await add(sum, x);
  }
  await sleep("20ms");
  return \`\${label}: \${sum}\`;
});

@workflow
export class Checkout extends Workflow {
  async run(amount: number) {
    const id = await this.runAction(charge(amount), { retry: { attempts: 1 } });
    return { id, amount };
  }
}

export const nothing = workflow(async function nothing() {
  await add(1, 2);
});
`;

// Actions in their own module, imported by relative path, in an ESM project.
const ESM_FILES = {
  "package.json": `{ "name": "esm-project", "type": "module" }\n`,
  "lib/actions.ts": `import { action } from "cairnjs";
import { actionContext } from "cairnjs/runtime";
export const double = action(async function double(n: number): Promise<number> {
  return n * 2;
});
// A handle left open must not keep \`cairn run\` alive once the workflow is done.
export const leaky = action(async function leaky(): Promise<string> {
  setInterval(() => {}, 1000);
  return \`done on attempt \${actionContext().attempt}\`;
});
`,
  "flows/doubles.mts": `import { workflow } from "cairnjs";
import { double, leaky } from "../lib/actions.ts";
export const doubles = workflow(async function doubles(ns: number[]) {
  const out = await Promise.all(ns.map((n) => double(n)));
  const status = await leaky();
  return { out, status };
});
`,
};

const PROGRESS_TOTAL = [
  "cairn: c1@0 add(0,1)",
  "cairn: c1@0 add done",
  "cairn: c1@1 add(1,2)",
  "cairn: c1@1 add done",
  "cairn: c1@2 add(3,3)",
  "cairn: c1@2 add done",
  "cairn: sleeping until <time>",
  "cairn: workflow completed",
  "",
].join("\n");

describe.concurrent("cairn run --local", () => {
  const plain = tempProject("outside", { "orders.ts": ORDERS });
  const esm = tempProject("outside", ESM_FILES);
  const inside = tempProject("inside", { "orders.ts": ORDERS });
  afterAll(() => {
    plain.cleanup();
    esm.cleanup();
    inside.cleanup();
  });

  it("runs a workflow outside the repository (no package.json) and prints its result as one JSON line", async () => {
    const r = await cairn(["run", "orders.ts", "--local", "--workflow", "total", "--input", '{"xs":[1,2,3],"label":"sum"}'], plain.dir);
    const stderr = r.stderr.replace(/until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/m, "until <time>");
    expect({ ...r, stderr }).toEqual({ code: 0, stdout: '"sum: 6"\n', stderr: PROGRESS_TOTAL });
  });

  it("--skip-time: a workflow that sleeps an hour and backs off between retries finishes at once; it needs --local", async () => {
    const project = tempProject("outside", {
      "slow.ts": `import { action, workflow, sleep, runAction } from "cairnjs";
let calls = 0;
export const flaky = action(async function flaky() { if (++calls < 3) throw new Error("busy"); return calls; });
export const slow = workflow(async function slow() {
  await sleep("1h");
  return await runAction(flaky(), { retry: { attempts: 3, delay: "10m" } });
});
`,
    });
    try {
      const started = Date.now();
      const r = await cairn(["run", "slow.ts", "--local", "--skip-time"], project.dir);
      expect([r.code, r.stdout]).toEqual([0, "3\n"]);
      expect(Date.now() - started).toBeLessThan(20_000);
      const bad = await cairn(["run", "slow.ts", "--skip-time"], project.dir, { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
      expect([bad.code, bad.stderr]).toEqual([3, "cairn: error: --skip-time needs --local: a durable run waits in real time\n"]);
    } finally {
      project.cleanup();
    }
  });

  it("a required parameter left out of --input is a usage error naming it; one with a default may be left out", async () => {
    const project = tempProject("outside", {
      "greet.ts": `import { action, workflow } from "cairnjs";
export const shout = action(async function shout(s: string) { return s.toUpperCase(); });
export const greet = workflow(async function greet(name: string, punct = "!") { return (await shout(name)) + punct; });
`,
    });
    try {
      const missing = await cairn(["run", "greet.ts", "--local"], project.dir);
      expect([missing.code, missing.stdout, missing.stderr]).toEqual([3, "", "cairn: error: --input: missing input 'name' for workflow greet; it takes (name, punct)\n"]);
      const ok = await cairn(["run", "greet.ts", "--local", "--input", '{"name":"ada"}'], project.dir);
      expect([ok.code, ok.stdout]).toEqual([0, '"ADA!"\n']);
    } finally {
      project.cleanup();
    }
  });

  it("runs a workflow inside the repository", async () => {
    const r = await cairn(["run", "orders.ts", "--local", "-w", "total", "-i", '{"xs":[5],"label":"one"}'], inside.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('"one: 5"\n');
  });

  it("runs a class-form workflow", async () => {
    const r = await cairn(["run", "orders.ts", "--local", "--workflow", "Checkout", "--input", '{"amount":5}'], plain.dir);
    expect(r).toEqual({
      code: 0,
      stdout: '{"id":"ch_5","amount":5}\n',
      stderr: "cairn: c1 charge-card(5)\ncairn: c1 charge-card done\ncairn: workflow completed\n",
    });
  });

  it("loads actions from other modules of an ESM project (cairnjs/runtime too) and exits even if an action leaves a handle open", async () => {
    const r = await cairn(["run", "flows/doubles.mts", "--local", "--input", '{"ns":[1,2,3]}'], esm.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{"out":[2,4,6],"status":"done on attempt 1"}\n');
  });

  it("runs a workflow whose action is a module's default export, in a CommonJS and in an ES module project", async () => {
    const files = {
      "inc.ts": `import { action } from "cairnjs";\nexport default action(async function inc(n: number): Promise<number> { return n + 1; });\n`,
      "wf.ts": `import { workflow } from "cairnjs";\nimport inc from "./inc.ts";\nexport const w = workflow(async function w(n: number) {\n  return await inc(await inc(n));\n});\n`,
    };
    const cjs = tempProject("outside", files);
    const esm = tempProject("outside", { ...files, "package.json": `{ "type": "module" }\n` });
    try {
      for (const dir of [cjs.dir, esm.dir]) {
        const r = await cairn(["run", "wf.ts", "--local", "--input", '{"n":1}'], dir);
        expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: "3\n" });
      }
    } finally {
      cjs.cleanup();
      esm.cleanup();
    }
  });

  it("runs a workflow whose actions come from a workspace package, imported by name", async () => {
    const ws = tempProject("outside", {
      "packages/actions/package.json": JSON.stringify({ name: "@acme/actions", type: "module", exports: { ".": "./src/index.ts" } }),
      "packages/actions/src/index.ts": `import { action } from "cairnjs";
export const double = action(async function double(n: number): Promise<number> { return n * 2; });
`,
      "app/package.json": `{ "type": "module" }\n`,
      "app/flow.ts": `import { workflow } from "cairnjs";
import { double } from "@acme/actions";
export const quad = workflow(async function quad(n: number) {
  return await double(await double(n));
});
`,
    });
    try {
      mkdirSync(join(ws.dir, "app/node_modules/@acme"), { recursive: true });
      symlinkSync("../../../packages/actions", join(ws.dir, "app/node_modules/@acme/actions"), "dir");
      const r = await cairn(["run", "flow.ts", "--local", "--input", '{"n":3}'], join(ws.dir, "app"));
      expect(r).toEqual({
        code: 0,
        stdout: "12\n",
        stderr: "cairn: c1 double(3)\ncairn: c1 double done\ncairn: c2 double(6)\ncairn: c2 double done\ncairn: workflow completed\n",
      });
    } finally {
      ws.cleanup();
    }
  });

  it("user code gets the runtime's sources, as the CLI runs them, not the JavaScript built into dist/", async () => {
    const where = tempProject("outside", {
      "package.json": `{ "type": "module" }\n`,
      "esm.ts": `import { action, workflow } from "cairnjs";
export const where = action(async function where() { return [import.meta.resolve("cairnjs"), import.meta.resolve("cairnjs/runtime")]; });
export const flow = workflow(async function flow() { return await where(); });
`,
      "cjs/package.json": `{ "type": "commonjs" }\n`,
      "cjs/flow.ts": `import { action, workflow } from "cairnjs";
declare const require: { resolve(id: string): string };
export const where = action(async function where() { return [require.resolve("cairnjs"), require.resolve("cairnjs/runtime")]; });
export const flow = workflow(async function flow() { return await where(); });
`,
    });
    try {
      const esm = await cairn(["run", "esm.ts", "--local"], where.dir);
      // tsx loads the user's modules (and what they import) under a query of its own.
      const unscoped = (out: string) => out.replace(/\?(tsx-)?namespace=[\w-]+/g, "");
      expect(unscoped(esm.stdout)).toBe(`${JSON.stringify([pathToFileURL(join(REPO, "index.ts")).href, pathToFileURL(join(REPO, "runtime/index.ts")).href])}\n`);
      const cjs = await cairn(["run", "cjs/flow.ts", "--local"], where.dir);
      expect(unscoped(cjs.stdout)).toBe(`${JSON.stringify([join(REPO, "index.ts"), join(REPO, "runtime/index.ts")])}\n`);
    } finally {
      where.cleanup();
    }
  });

  it("prints null for a workflow that returns nothing", async () => {
    const r = await cairn(["run", "orders.ts", "--local", "--workflow", "nothing"], plain.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("null\n");
  });

  it("exits 1 with the error as JSON on stderr when the workflow fails", async () => {
    const r = await cairn(["run", "orders.ts", "--local", "--workflow", "Checkout", "--input", '{"amount":500}'], plain.dir);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr: [
        "cairn: c1 charge-card(500)",
        "cairn: c1 charge-card failed after 1 attempt(s) (Declined: amount 500 over limit)",
        "cairn: workflow failed (Declined: amount 500 over limit)",
        '{"name":"Declined","message":"amount 500 over limit"}',
        "",
      ].join("\n"),
    });
  });

  it("exits 3 listing the workflows when several exist and none is chosen", async () => {
    const r = await cairn(["run", "orders.ts", "--local"], plain.dir);
    expect(r).toEqual({
      code: 3,
      stdout: "",
      stderr: "cairn: error: orders.ts defines several workflows (total, Checkout, nothing); choose one with --workflow <Name>\n",
    });
  });

  it("exits 3 for an unknown workflow name", async () => {
    const r = await cairn(["run", "orders.ts", "--local", "--workflow", "Nope"], plain.dir);
    expect(r).toEqual({
      code: 3,
      stdout: "",
      stderr: "cairn: error: no workflow named Nope in orders.ts; it defines: total, Checkout, nothing\n",
    });
  });

  it("exits 3 for an input key the workflow has no parameter for", async () => {
    const r = await cairn(["run", "orders.ts", "--local", "-w", "total", "--input", '{"xs":[],"lable":"x"}'], plain.dir);
    expect(r).toEqual({
      code: 3,
      stdout: "",
      stderr: "cairn: error: --input: workflow total takes (xs, label); unknown key(s): lable\n",
    });
  });

  it("exits 2 with the diagnostics when the file does not compile", async () => {
    const bad = tempProject("outside", {
      "bad.ts": `import { workflow } from "cairnjs";\nexport const w = workflow(async function w() {\n  return process.env.HOME;\n});\n`,
    });
    try {
      const r = await cairn(["run", "bad.ts", "--local"], bad.dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.split("\n")[0]).toMatch(/^bad\.ts:3:10: error CAIRN100: /);
    } finally {
      bad.cleanup();
    }
  });

  it("runs the README's example", async () => {
    const r = await cairn(["run", "examples/hello.ts", "--local", "--input", '{"name":"Ada"}'], REPO);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{"greeting":"Hello, Ada!","loud":"HELLO, ADA!"}\n');
  });

  it("README's first workflow is examples/onboarding.ts, and its commands print what README says", async () => {
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## A first workflow"));
    const code = /```ts\n([\s\S]*?)```/.exec(section)![1];
    expect(code).toBe(readFileSync(join(REPO, "examples/onboarding.ts"), "utf8"));
    const shell = /```sh\n([\s\S]*?)```/.exec(section)![1].trimEnd().split("\n");
    expect(shell.length).toBe(6);
    for (let i = 0; i < shell.length; i += 2) {
      // npx cairn run ... --input '<json>'  /  # <expected stdout>
      const [, args, input] = /^npx cairn (.*) --input '(.*)'$/.exec(shell[i])!;
      const r = await cairn([...args.split(" "), "--input", input], REPO);
      expect([r.code, r.stdout]).toEqual([0, `${shell[i + 1].replace(/^# /, "")}\n`]);
    }
  }, 60_000);
});

describe("cairn run with cairn's primitives re-exported by a module of the project", () => {
  const project = tempProject("outside", {
    "lib.ts": `export { action, workflow, sleep } from "cairnjs";\n`,
    "wf.ts": `import { action, workflow, sleep } from "./lib.ts";
export const inc = action(async function inc(n: number) { return n + 1; });
export const flow = workflow(async function flow(n: number) {
  await sleep(5);
  return await inc(await inc(n));
});
`,
  });
  afterAll(() => project.cleanup());

  it("compiles the workflow, loads its actions and runs it", async () => {
    expect(await cairn(["run", "wf.ts", "--local", "--input", '{"n": 1}'], project.dir)).toMatchObject({ code: 0, stdout: "3\n" });
  });
});

describe("cairn run when an action module fails to load", () => {
  const files = {
    "acts.ts": `import { action } from "cairnjs";\nif (!process.env.API_KEY) throw new Error("API_KEY is not set");\nexport const call = action(async function call(n: number) { return n; });\n`,
    "wf.ts": `import { workflow } from "cairnjs";\nimport { call } from "./acts.ts";\nexport const w = workflow(async function w(n: number) { return await call(n); });\n`,
  };
  // Loaded as CommonJS (no package.json), and as an ES module.
  const cjs = tempProject("outside", files);
  const esm = tempProject("outside", { ...files, "package.json": `{ "type": "module" }\n` });
  afterAll(() => {
    cjs.cleanup();
    esm.cleanup();
  });

  it("exits 3 with the module, the error and the user's own frames, not the loader's", async () => {
    const failure = (dir: string, frames: string[]) => ({
      code: 3,
      stdout: "",
      stderr: [`cairn: error: cannot load actions from ${join(dir, "acts.ts")}:`, "Error: API_KEY is not set", ...frames.map((f) => `    at ${f}`), ""].join("\n"),
    });
    const run = (dir: string) => cairn(["run", "wf.ts", "--local", "--input", '{"n": 1}'], dir, { API_KEY: "" });
    const acts = (dir: string) => join(dir, "acts.ts");
    // CommonJS runs from a data: URL of the transformed text: the file, without a position in that text.
    expect(await run(cjs.dir)).toEqual(failure(cjs.dir, [acts(cjs.dir), `Object.<anonymous> (${acts(cjs.dir)})`]));
    expect(await run(esm.dir)).toEqual(failure(esm.dir, [`<anonymous> (${acts(esm.dir)}:2:33)`]));
  });
});
