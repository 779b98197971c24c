/** `cairn dev` serves the web UI too (on 127.0.0.1, --ui-port), on the database its worker uses; --no-ui leaves it out. */
import { spawn } from "node:child_process";
import { afterAll, expect, test } from "vitest";
import { BIN, tempProject } from "./cli-harness.ts";
import { databaseUrl, dropSchema, freshSchemaName, openTestDb } from "./helpers/db.ts";

const project = tempProject("outside", {
  "package.json": `{ "type": "module" }\n`,
  "wf.ts": `import { action, workflow } from "cairnjs";
export const hello = action(async function hello(name: string) { return "hi " + name; });
export const greetDev = workflow(async function greetDev(name: string) { return await hello(name); });
`,
});
const schema = freshSchemaName("uidev");
afterAll(async () => {
  const db = await openTestDb();
  await dropSchema(db, schema);
  await db.close();
  project.cleanup();
});

function runDev(args: string[]) {
  const child = spawn(process.execPath, [BIN, "dev", ...args], { cwd: project.dir, env: { ...process.env, DATABASE_URL: databaseUrl(), CAIRN_SCHEMA: schema } });
  let err = "";
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const look = () => {
        const m = pattern.exec(err);
        if (m) resolve(m);
      };
      child.stderr.on("data", (c: Buffer) => {
        err += c.toString();
        look();
      });
      child.once("exit", (code) => reject(new Error(`cairn dev exited (${code}):\n${err}`)));
    });
  const stop = () => {
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGINT");
    return exited;
  };
  return { waitFor, stop, stderr: () => err };
}

test("cairn dev prints the UI's address and serves it; the worker it runs shows on the workers page", async () => {
  const dev = runDev(["--ui-port", "0"]);
  const [, url] = await dev.waitFor(/web UI at (http:\/\/127\.0\.0\.1:\d+\/)/);
  await dev.waitFor(/greetDev/);
  const deadline = Date.now() + 20_000;
  let body = "";
  // The worker registers itself once it has compiled the project.
  while (Date.now() < deadline && !body.includes("greetDev")) {
    body = await (await fetch(`${url}workers`)).text();
    if (!body.includes("greetDev")) await new Promise((r) => setTimeout(r, 200));
  }
  expect(body).toContain("greetDev");
  expect(await dev.stop()).toBe(0);
}, 60_000);

test("cairn dev --no-ui serves no UI", async () => {
  const dev = runDev(["--no-ui"]);
  await dev.waitFor(/greetDev/);
  expect(dev.stderr()).not.toContain("web UI");
  expect(await dev.stop()).toBe(0);
}, 60_000);
