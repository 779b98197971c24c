/**
 * The web UI's defences, with plain HTTP requests: a token on a non-loopback bind
 * (and the CLI refusing to start without one), loopback Host checks, CSRF tokens
 * and same-origin checks on POSTs, and markup in payloads escaped on every page.
 */
import { spawn } from "node:child_process";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { HOSTILE, uiWorkflows } from "./helpers/ui-workflows.ts";
import { startUiServer, type UiServer } from "../cli/ui/server.ts";
import { scheduleQueries } from "../runtime/durable/schedule-queries.ts";
import { BIN, cairn } from "./cli-harness.ts";
import { databaseUrl } from "./helpers/db.ts";

let env: DurableEnv;
let flows: Awaited<ReturnType<typeof uiWorkflows>>;
beforeAll(async () => {
  [env, flows] = await Promise.all([durableEnv("pg", "uis"), uiWorkflows("uis")]);
});
afterAll(() => env?.close());

const TOKEN = "s3cret-token-for-tests";

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers, redirect: "manual" });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

/** A browser's first visit: its session cookie and the CSRF token of the page's forms. */
async function session(base: string, path: string, headers: Record<string, string> = {}) {
  const res = await get(base + path, headers);
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
  expect(csrf).toBeTruthy();
  return { cookie, csrf: csrf!, body: res.body };
}

function post(url: string, form: Record<string, string>, headers: Record<string, string>) {
  return fetch(url, {
    method: "POST", redirect: "manual", body: new URLSearchParams(form).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
  });
}

describe("on a loopback bind without a token", () => {
  let ui: UiServer;
  let base: string;
  beforeAll(async () => {
    ui = await startUiServer({ db: env.db, schema: env.schema, host: "127.0.0.1", port: 0, token: null });
    base = `http://127.0.0.1:${ui.port}`;
  });
  afterAll(() => ui?.close());

  test("a request naming another host (DNS rebinding) is refused", async () => {
    // node:http, not fetch: fetch does not let a caller set Host.
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        request({ host: "127.0.0.1", port: ui.port, path: "/instances", headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        }).on("error", reject).end();
      });
    expect(await status("attacker.example")).toBe(403);
    expect(await status(`attacker.example:${ui.port}`)).toBe(403);
    expect(await status(`localhost:${ui.port}`)).toBe(200);
    expect(await status(`127.0.0.1:${ui.port}`)).toBe(200);
  });

  test("POSTs need the session's CSRF token and the same origin", async () => {
    const run = await env.client.start(flows.waiting.artifact, { who: "csrf" });
    const page = `/instances/${run.id}`;
    const { cookie, csrf } = await session(base, page);
    const cancel = `${base}${page}/cancel`;
    const origin = base;
    expect((await post(cancel, { reason: "x" }, { cookie, origin })).status).toBe(403);
    expect((await post(cancel, { reason: "x", _csrf: "forged" }, { cookie, origin })).status).toBe(403);
    // A valid token from another session does not carry over.
    const other = await session(base, page);
    expect((await post(cancel, { reason: "x", _csrf: other.csrf }, { cookie, origin })).status).toBe(403);
    // Cross-site, even with the right token (a page that somehow read it).
    expect((await post(cancel, { reason: "x", _csrf: csrf }, { cookie, origin: "http://attacker.example" })).status).toBe(403);
    expect((await post(cancel, { reason: "x", _csrf: csrf }, { cookie, origin: "null" })).status).toBe(403);
    expect((await post(cancel, { reason: "x", _csrf: csrf }, { cookie, "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await post(cancel, { reason: "x", _csrf: csrf }, { cookie, "sec-fetch-site": "same-site" })).status).toBe(403);
    // GET never acts.
    expect((await get(cancel)).status).toBe(404);
    expect((await env.client.status(run.id)).status).toBe("running");
    const ok = await post(cancel, { reason: "by the test", _csrf: csrf }, { cookie, origin, "sec-fetch-site": "same-origin" });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe(`${page}?notice=cancelled`);
    expect((await env.client.status(run.id)).status).toBe("cancelled");
  });

  test("a schedule is paused and resumed from the schedules page", async () => {
    const artifact = await env.client.engine.register(flows.waiting.artifact);
    await scheduleQueries(env.schema).upsert(env.db, {
      name: "nightly<b>", workflow: artifact.name, spec: "0 3 * * *", timezone: "UTC", input: { who: "cron" }, catchUp: "latest", overlap: "skip", source: "x.ts",
    }, artifact.hash, Date.now() + 3_600_000);
    const { cookie, csrf, body } = await session(base, "/schedules");
    expect(body).toContain("nightly&lt;b&gt;");
    expect(body).toContain("0 3 * * *");
    const action = /action="(\/schedules\/[^"]+\/pause)"/.exec(body)![1]!;
    const paused = await post(base + action, { _csrf: csrf }, { cookie, origin: base });
    expect(paused.status).toBe(303);
    expect((await env.client.schedules()).find((x) => x.name === "nightly<b>")!.state).toBe("paused");
    const after = await session(base, "/schedules?notice=paused", { cookie });
    expect(after.body).toContain("Schedule paused.");
    const resume = /action="(\/schedules\/[^"]+\/resume)"/.exec(after.body)![1]!;
    expect((await post(base + resume, { _csrf: csrf }, { cookie, origin: base })).status).toBe(303);
    expect((await env.client.schedules()).find((x) => x.name === "nightly<b>")!.state).toBe("active");
    expect((await post(`${base}/schedules/nope/pause`, { _csrf: csrf }, { cookie, origin: base })).status).toBe(404);
  });

  test("markup in inputs, messages, errors and stacks is shown as text on every page", async () => {
    // Its error's message and last stack frame hold the markup (helpers/ui-workflows.ts).
    await env.startWorker({ actions: flows.failing.actions });
    const failed = await env.client.start(flows.failing.artifact, { name: HOSTILE });
    await expect(failed.result()).rejects.toThrow(/card declined/);
    await env.stopWorkers();
    const run = await env.client.start(flows.waiting.artifact, { who: HOSTILE });
    const page = `/instances/${run.id}`;
    const { cookie, csrf } = await session(base, page);
    const sent = await post(`${base}${page}/send`, { topic: HOSTILE, message: JSON.stringify({ html: HOSTILE }), _csrf: csrf }, { cookie, origin: base });
    expect(sent.status).toBe(303);
    const bad = await post(`${base}${page}/send`, { topic: "t", message: HOSTILE, _csrf: csrf }, { cookie, origin: base });
    expect(bad.status).toBe(400);
    const pages = [
      (await get(base + page)).body,
      await bad.text(),
      (await get(`${base}/instances?id=${encodeURIComponent(HOSTILE)}&workflow=${encodeURIComponent(HOSTILE)}`)).body,
      (await get(`${base}/workflows`)).body,
      (await get(`${base}/nope${encodeURIComponent(HOSTILE)}`)).body,
      (await get(`${base}/instances/${failed.id}`)).body,
    ];
    for (const body of pages) {
      expect(body).not.toContain("<script>window");
      expect(body).not.toContain("<img");
    }
    expect(pages[0]).toContain("&lt;script&gt;window.__pwned = 1&lt;/script&gt;");
    expect(pages[0]).toContain("&lt;img src=x onerror=");
    expect(pages[2]).toContain("value=\"&lt;script&gt;window.__pwned");
    // The stack under the error and in each failed attempt's <details>, the markup escaped.
    const escapedFrame = "at &lt;script&gt;window.__pwned = 1&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned = 2&quot;&gt; (hostile.ts:1:1)";
    expect(pages[5]).toMatch(/<pre class="stack">at chargeCard \(/);
    expect(pages[5]!.split(escapedFrame).length - 1).toBe(4);
  });
});

describe("with a token", () => {
  let ui: UiServer;
  let base: string;
  beforeAll(async () => {
    ui = await startUiServer({ db: env.db, schema: env.schema, host: "0.0.0.0", port: 0, token: TOKEN });
    base = `http://127.0.0.1:${ui.port}`;
  });
  afterAll(() => ui?.close());

  test("every request without it is refused, whatever the path", async () => {
    for (const path of ["/", "/instances", "/workflows", "/events", "/assets/ui.js"]) {
      expect((await get(base + path)).status).toBe(401);
      expect((await get(base + path, { authorization: "Bearer wrong-token" })).status).toBe(401);
      expect((await get(base + path, { cookie: "cairn_ui_token=wrong" })).status).toBe(401);
    }
    expect(ui.url).toBe(`http://0.0.0.0:${ui.port}/?token=${TOKEN}`);
  });

  test("a bearer header, or the cookie set from ?token= (then dropped from the address), lets it in", async () => {
    expect((await get(`${base}/instances`, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    const first = await get(`${base}/instances?status=failed&token=${TOKEN}`);
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/instances?status=failed");
    const cookie = first.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    expect(first.headers.getSetCookie()[0]).toMatch(/HttpOnly; SameSite=Lax/);
    expect((await get(`${base}/instances?status=failed`, { cookie })).status).toBe(200);
  });
});

test("cairn ui refuses a non-loopback host without a token (exit 3), and serves on loopback until SIGTERM", async () => {
  const refused = await cairn(["ui", "--host", "0.0.0.0", "--port", "0"], process.cwd(), { CAIRN_UI_TOKEN: "" });
  expect(refused.code).toBe(3);
  expect(refused.stderr).toMatch(/needs a token: pass --token <secret> or set CAIRN_UI_TOKEN/);
  const child = spawn(process.execPath, [BIN, "ui", "--port", "0"], { env: { ...process.env, DATABASE_URL: databaseUrl(), CAIRN_SCHEMA: env.schema } });
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`cairn ui exited (${code}) before serving: ${out}`)));
  });
  expect((await get(`${url}instances`)).status).toBe(200);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
});
