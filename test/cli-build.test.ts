import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { canonicalJson, validateArtifact, type Artifact } from "../ir-schema/index.ts";
import { cairn, tempProject } from "./cli-harness.ts";

const ORDERS = `import { action, workflow, Workflow } from "cairnjs";

export const add = action(async function add(a: number, b: number): Promise<number> {
  return a + b;
});

export const charge = action("charge-card", async (amount: number): Promise<string> => {
  return \`ch_\${amount}\`;
});

export const total = workflow(async function total(xs: number[], label: string) {
  let sum = 0;
  for (const x of xs) sum = await add(sum, x);
  return \`\${label}: \${sum}\`;
});

@workflow
export class Checkout extends Workflow {
  async run(amount: number) {
    const fee = await add(amount, 1);
    return await charge(fee);
  }
}
`;

const REFUND = `import { action, workflow } from "cairnjs";
import { add } from "../orders.ts";

export const refund = action(async function refund(id: string): Promise<boolean> {
  return id.length > 0;
});

export const Refund = workflow("Refund", async (id: string) => {
  const ok = await refund(id);
  return ok ? await add(1, 2) : 0;
});
`;

const BAD = `import { workflow } from "cairnjs";
export const bad = workflow(async function bad() {
  return Math.random();
});
`;

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}

describe.concurrent("cairn build", () => {
  const project = tempProject("outside", {
    "package.json": `{ "name": "shop", "type": "module" }\n`,
    "src/orders.ts": ORDERS,
    "src/refunds/refund.ts": REFUND,
    "broken/bad.ts": BAD,
    "dupe/total.ts": `import { workflow } from "cairnjs";\nexport const total = workflow(async function total() { return 0; });\n`,
    // Two modules, each clean on its own, whose workflows call two different actions named "send".
    "clash/email.ts": `import { action, workflow } from "cairnjs";\nexport const send = action(async function send(to: string) { return "mail " + to; });\nexport const mail = workflow(async function mail(to: string) { return await send(to); });\n`,
    "clash/sms.ts": `import { action } from "cairnjs";\nexport const send = action(async function send(to: string) { return "sms " + to; });\n`,
    // Two modules of actions only, each declaring its own "ping": a worker given both could serve one.
    "dupacts/a.ts": `import { action } from "cairnjs";\nexport const ping = action(async function ping() { return "a"; });\n`,
    "dupacts/b.ts": `import { action } from "cairnjs";\nexport const ping = action(async function ping() { return "b"; });\n`,
    "clash/texts.ts": `import { workflow } from "cairnjs";\nimport { send } from "./sms.ts";\nexport const text = workflow(async function text(to: string) { return await send(to); });\n`,
  });
  afterAll(() => project.cleanup());

  it("writes one artifact per workflow and a deterministic manifest", async () => {
    const r = await cairn(["build", "src", "--out", "out/a"], project.dir);
    expect(r).toEqual({ code: 0, stdout: "", stderr: "cairn build: wrote 3 workflows to out/a\n" });

    const dir = join(project.dir, "out/a");
    const manifest = readJson(join(dir, "manifest.json")) as { workflows: Array<{ file: string; hash: string }> };
    const artifacts = new Map<string, Artifact>();
    for (const entry of manifest.workflows) {
      const artifact = readJson(join(dir, entry.file)) as Artifact;
      expect(validateArtifact(artifact).ok).toBe(true);
      // The name carries the first 12 hex digits of the sha256 of the artifact without its hash.
      const { hash, ...content } = artifact;
      const sha = createHash("sha256").update(canonicalJson(content)).digest("hex");
      expect(hash).toBe(`sha256:${sha}`);
      expect(entry.file).toBe(`${artifact.name}.${sha.slice(0, 12)}.json`);
      artifacts.set(artifact.name, artifact);
    }
    const hashOf = (name: string) => artifacts.get(name)!.hash;
    expect(readdirSync(dir).sort()).toEqual(
      ["manifest.json", ...[...artifacts.values()].map((a) => `${a.name}.${a.hash.slice(7, 19)}.json`)].sort(),
    );
    expect(manifest).toEqual({
      irVersion: 1,
      workflows: [
        { name: "Checkout", hash: hashOf("Checkout"), file: `Checkout.${hashOf("Checkout").slice(7, 19)}.json`, source: "src/orders.ts", params: ["amount"], actions: ["add", "charge-card"] },
        { name: "Refund", hash: hashOf("Refund"), file: `Refund.${hashOf("Refund").slice(7, 19)}.json`, source: "src/refunds/refund.ts", params: ["id"], actions: ["add", "refund"] },
        { name: "total", hash: hashOf("total"), file: `total.${hashOf("total").slice(7, 19)}.json`, source: "src/orders.ts", params: ["xs", "label"], actions: ["add"] },
      ],
    });
    const text = readFileSync(join(dir, "manifest.json"), "utf8");
    expect(text).not.toContain(project.dir);
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("is byte-for-byte reproducible", async () => {
    const [a, b] = await Promise.all([
      cairn(["build", "src/orders.ts", "src/refunds", "--out", "out/r1"], project.dir),
      cairn(["build", "src/refunds/refund.ts", "src", "--out", "out/r2"], project.dir),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const files = readdirSync(join(project.dir, "out/r1")).sort();
    expect(readdirSync(join(project.dir, "out/r2")).sort()).toEqual(files);
    for (const f of files) {
      expect(readFileSync(join(project.dir, "out/r2", f), "utf8")).toBe(readFileSync(join(project.dir, "out/r1", f), "utf8"));
    }
  });

  it("writes nothing and exits 2 when a file does not compile", async () => {
    const r = await cairn(["build", "src", "broken", "--out", "out/broken"], project.dir);
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr: [
        "broken/bad.ts:3:10: error CAIRN100: `Math.random()` is nondeterministic and cannot run in a workflow body",
        "  hint: move it into an action and await the action, so its result is recorded and replayed",
        "> 3 |   return Math.random();",
        "    |          ^^^^^^^^^^^^^",
        "",
        "cairn build: 1 error, nothing written\n",
      ].join("\n"),
    });
    expect(existsSync(join(project.dir, "out/broken"))).toBe(false);
  });

  it("rejects two workflows with the same name", async () => {
    const r = await cairn(["build", "src/orders.ts", "dupe", "--out", "out/dupe"], project.dir);
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "dupe/total.ts: error CAIRN119: the workflow name `total` is defined more than once (dupe/total.ts, src/orders.ts); " +
        "a worker finds a workflow by its name, so names must be unique in a build\n" +
        "  hint: give each workflow its own name\n\n" +
        "cairn build: 1 error, nothing written\n",
    });
    expect(existsSync(join(project.dir, "out/dupe"))).toBe(false);
  });

  const CLASH =
    "clash/email.ts: error CAIRN117: two different actions are named `send`: `send` of clash/email.ts (called by clash/email.ts) and `send` of clash/sms.ts " +
    "(called by clash/texts.ts); a worker finds an action by its name, so one of them would run for both\n" +
    '  hint: give one of them a name of its own: `action("send-2", ...)`\n\n';

  it("rejects workflows of different files that call two different actions of one name", async () => {
    const r = await cairn(["build", "clash", "--out", "out/clash"], project.dir);
    expect(r).toEqual({ code: 2, stdout: "", stderr: CLASH + "cairn build: 1 error, nothing written\n" });
    expect(existsSync(join(project.dir, "out/clash"))).toBe(false);
    // A worker given the files refuses them the same way, before it touches a database.
    expect(await cairn(["worker", "clash"], project.dir, { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" })).toEqual({ code: 2, stdout: "", stderr: CLASH });
    // Each file alone builds.
    expect((await cairn(["build", "clash/email.ts", "--out", "out/clash-email"], project.dir)).code).toBe(0);
    expect((await cairn(["build", "clash/texts.ts", "--out", "out/clash-texts"], project.dir)).code).toBe(0);
  }, 90_000); // four CLI processes

  it("actions declared by two modules under one name clash where a worker would serve both (check, worker), not in build", async () => {
    const DUP =
      "dupacts/a.ts: error CAIRN117: two different actions are named `ping`: `ping` of dupacts/a.ts and `ping` of dupacts/b.ts; a worker finds an action by its name, " +
      "so one of them would run for both\n" +
      '  hint: give one of them a name of its own: `action("ping-2", ...)`\n\n';
    expect(await cairn(["check", "dupacts"], project.dir)).toEqual({ code: 2, stdout: "", stderr: DUP + "cairn check: 2 files compiled, 0 workflows, 1 error, 0 warnings\n" });
    expect(await cairn(["worker", "dupacts"], project.dir, { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" })).toEqual({ code: 2, stdout: "", stderr: DUP });
    // The IR cairn build writes names only the actions workflows call: none here.
    expect(await cairn(["build", "dupacts", "--out", "out/dupacts"], project.dir)).toEqual({ code: 0, stdout: "", stderr: "cairn build: wrote 0 workflows to out/dupacts\n" });
  }, 90_000); // three CLI processes

  it("check fails where build would: clashing action and workflow names", async () => {
    expect(await cairn(["check", "clash"], project.dir)).toEqual({
      code: 2,
      stdout: "",
      stderr: CLASH + "cairn check: 3 files compiled, 2 workflows, 1 error, 0 warnings\n",
    });
    expect(await cairn(["check", "src/orders.ts", "dupe"], project.dir)).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "dupe/total.ts: error CAIRN119: the workflow name `total` is defined more than once (dupe/total.ts, src/orders.ts); " +
        "a worker finds a workflow by its name, so names must be unique in a build\n" +
        "  hint: give each workflow its own name\n\n" +
        "cairn check: 2 files compiled, 3 workflows, 1 error, 0 warnings\n",
    });
  });
});
