/**
 * Messages and children through the CLI, as a person drives an approval: `cairn
 * worker`, `cairn start`, `cairn status` (what it waits for, what it published),
 * `cairn send`, `cairn result --wait`; and README's example, run as written.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, REPO, cairn, tempProject } from "./cli-harness.ts";
import { databaseUrl, dropSchema, freshSchemaName, openTestDb } from "./helpers/db.ts";

describe("an approval driven end to end through the CLI", () => {
  const project = tempProject("outside", { "approval.ts": readFileSync(join(REPO, "examples/approval.ts"), "utf8") });
  const schema = freshSchemaName("climsg");
  const env = { DATABASE_URL: databaseUrl(), CAIRN_SCHEMA: schema };
  afterAll(async () => {
    const db = await openTestDb();
    await dropSchema(db, schema);
    await db.close();
    project.cleanup();
  });

  it("start, status while it waits, send, result --wait; a finished instance refuses messages", async () => {
    const worker = spawn(process.execPath, [BIN, "worker", "approval.ts", "--quiet"], { cwd: project.dir, env: { ...process.env, ...env } });
    const exited = new Promise<number | null>((resolve) => worker.once("exit", resolve));
    try {
      const started = await cairn(["start", "approval.ts", "--workflow", "approve", "--input", '{"orderId":"o-9"}'], project.dir, env);
      expect(started.code).toBe(0);
      const id = started.stdout.trim();
      // Waiting: the status says for what, and shows what it published.
      let status = "";
      for (let i = 0; i < 100 && !status.includes("waiting for a message"); i++) {
        status = (await cairn(["status", id], project.dir, env)).stdout;
        if (!status.includes("waiting for a message")) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toMatch(/c1 +receive +waiting +\(waiting for a message on topic 'approval' until \d{4}-/);
      expect(status).toContain('    stage = "waiting for approval"');

      expect(await cairn(["send", id, "approval", "--message", '{"ok": true}'], project.dir, env)).toEqual({
        code: 0, stdout: "", stderr: `cairn: sent 'approval' to ${id}\n`,
      });
      expect(await cairn(["result", id, "--wait"], project.dir, env)).toEqual({
        code: 0, stdout: '{"orderId":"o-9","status":"approved","receipt":"receipt-hold-o-9"}\n', stderr: "",
      });
      const report = JSON.parse((await cairn(["status", id, "--json"], project.dir, env)).stdout) as {
        published: Record<string, unknown>; children: Array<{ workflow: string; status: string; callId: string }>;
        messages: Array<{ topic: string; message: unknown; receivedBy: string }>;
      };
      expect(report.published).toEqual({ stage: "done" });
      expect(report.children).toEqual([{ id: expect.any(String), workflow: "charge", status: "completed", callId: "c2" }]);
      expect(report.messages).toEqual([expect.objectContaining({ topic: "approval", message: { ok: true }, receivedBy: "c1" })]);
      const child = (await cairn(["status", (report.children[0] as unknown as { id: string }).id], project.dir, env)).stdout;
      expect(child).toContain(`  parent ${id} (call c2)`);

      const late = await cairn(["send", id, "approval"], project.dir, env);
      expect(late).toEqual({ code: 3, stdout: "", stderr: `cairn: error: workflow instance ${id} has finished (completed); it receives no more messages\n` });
      const unknown = "00000000-0000-4000-8000-000000000000";
      expect((await cairn(["send", unknown, "approval"], project.dir, env)).code).toBe(3);
      expect((await cairn(["send", id, "approval", "--message", "{nope"], project.dir, env)).stderr).toMatch(/^cairn: error: --message is not valid JSON/);
    } finally {
      worker.kill("SIGTERM");
      await exited;
    }
  }, 120_000);
});

describe("README's messages example", () => {
  it("prints what README says", async () => {
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Messages and child workflows"));
    const [command, expected] = /```sh\n([\s\S]*?)```/.exec(section)![1].trimEnd().split("\n");
    const [, file, workflow, input, send] = /^npx cairn run (\S+) --workflow (\S+) --input '(.*)' --local --send '(.*)'$/.exec(command)!;
    const r = await cairn(["run", file, "--workflow", workflow, "--input", input, "--local", "--send", send], REPO);
    expect([r.code, r.stdout]).toEqual([0, `${expected.replace(/^# /, "")}\n`]);
  }, 60_000);
});
