/**
 * `cairn dev`: a worker for the project that restarts when its code changes, in
 * the project and in the workspace packages it imports by name; instances started
 * meanwhile run on the code as it is on disk. Real processes on the suite's server.
 */
import { spawn } from "node:child_process";
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, cairn, tempProject } from "./cli-harness.ts";
import { databaseUrl, dropSchema, freshSchemaName, openTestDb } from "./helpers/db.ts";

const greeting = (word: string) => `import { action } from "cairnjs";
export const greet = action(async function greet(name: string): Promise<string> { return "${word}, " + name; });
`;
const mark = (word: string) => `import { action } from "cairnjs";
export const mark = action(async function mark(text: string): Promise<string> { return text + "${word}"; });
`;

describe("cairn dev", () => {
  const project = tempProject("outside", {
    "app/package.json": `{ "type": "module" }\n`,
    "app/greet.ts": greeting("hello"),
    "app/wf.ts": `import { workflow } from "cairnjs";
import { greet } from "./greet.ts";
import { mark } from "@acme/marks";
export const welcome = workflow(async function welcome(name: string) {
  return await mark(await greet(name));
});
`,
    "packages/marks/package.json": JSON.stringify({ name: "@acme/marks", type: "module", exports: "./src/index.ts" }),
    "packages/marks/src/index.ts": mark("!"),
  });
  const app = join(project.dir, "app");
  const schema = freshSchemaName("dev");
  let env: Record<string, string>;
  beforeAll(() => {
    env = { DATABASE_URL: databaseUrl(), CAIRN_SCHEMA: schema };
    mkdirSync(join(app, "node_modules/@acme"), { recursive: true });
    symlinkSync("../../../packages/marks", join(app, "node_modules/@acme/marks"), "dir");
  });
  afterAll(async () => {
    const db = await openTestDb();
    await dropSchema(db, schema);
    await db.close();
    project.cleanup();
  });

  it("restarts the worker when a file of the project or of a linked workspace package changes; exits 0 on SIGINT", async () => {
    const dev = spawn(process.execPath, [BIN, "dev"], { cwd: app, env: { ...process.env, ...env } });
    let err = "";
    const waiters: Array<() => void> = [];
    dev.stderr.on("data", (c: Buffer) => {
      err += c.toString();
      for (const w of waiters.splice(0)) w();
    });
    const exited = new Promise<number | null>((resolve) => dev.once("exit", resolve));
    /** Resolves once stderr holds `count` matches of `pattern`. */
    const stderrHas = (pattern: RegExp, count: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${count} x ${pattern} in:\n${err}`)), 30_000);
        const check = () => ((err.match(new RegExp(pattern, "g")) ?? []).length >= count ? (clearTimeout(timer), resolve()) : waiters.push(check));
        check();
      });
    const runOnce = async () => {
      const started = await cairn(["start", "wf.ts", "--input", '{"name":"ada"}'], app, env);
      expect(started.code).toBe(0);
      return cairn(["result", started.stdout.trim(), "--wait"], app, env);
    };
    const serving = /serving 2 action\(s\) \[greet, mark\]/;
    try {
      await stderrHas(serving, 1);
      expect(await runOnce()).toEqual({ code: 0, stdout: '"hello, ada!"\n', stderr: "" });

      // Atomic saves (a temp file renamed over the original, as sed -i and many
      // editors save), twice: fs.watch lost the file after the first.
      for (const [k, word] of ["hi", "hi"].entries()) {
        writeFileSync(join(app, "greet.ts.tmp"), greeting(word));
        renameSync(join(app, "greet.ts.tmp"), join(app, "greet.ts"));
        await stderrHas(/cairn: greet\.ts changed; restarting the worker\n/, k + 1);
        await stderrHas(serving, k + 2);
      }
      expect(await runOnce()).toEqual({ code: 0, stdout: '"hi, ada!"\n', stderr: "" });

      writeFileSync(join(project.dir, "packages/marks/src/index.ts"), mark("?"));
      await stderrHas(/cairn: \.\.\/packages\/marks\/src\/index\.ts changed; restarting the worker\n/, 1);
      await stderrHas(serving, 4);
      expect(await runOnce()).toEqual({ code: 0, stdout: '"hi, ada?"\n', stderr: "" });

      // Code that does not compile: the worker refuses it, dev says so and waits for the fix.
      writeFileSync(join(app, "greet.ts"), `import { action } from "cairnjs";\nexport const greet = action(async (name: string) => "hey, " + name);\n`);
      await stderrHas(/greet\.ts:2:22: error CAIRN112: action without a name/, 1);
      await stderrHas(/cairn: the worker exited \(code 2\); waiting for a change to start it again\n/, 1);
      writeFileSync(join(app, "greet.ts"), greeting("hey"));
      await stderrHas(serving, 5);
      expect(await runOnce()).toEqual({ code: 0, stdout: '"hey, ada?"\n', stderr: "" });
    } finally {
      dev.kill("SIGINT");
    }
    expect(await exited).toBe(0);
    expect(err).toMatch(/cairn: worker stopped\n$/);
  }, 120_000);
});
