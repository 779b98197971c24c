/**
 * The web UI (cairn ui) in a real headless Chromium: find a failed instance by
 * filter and read its error, its stack, failing call and graph position; cancel a running
 * instance; send a message to a waiting one and watch it finish without a reload.
 * Screenshots of each page go to test/tmp/ui-screenshots/.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { launchChromium } from "./helpers/browser.ts";
import { HOSTILE, uiWorkflows } from "./helpers/ui-workflows.ts";
import { startUiServer, type UiServer } from "../cli/ui/server.ts";
import { REPO } from "./cli-harness.ts";

const SHOTS = join(REPO, "test", "tmp", "ui-screenshots");
let env: DurableEnv;
let ui: UiServer;
let browser: Browser;
let page: Page;
let flows: Awaited<ReturnType<typeof uiWorkflows>>;
let release: () => void = () => {};

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [env, browser, flows] = await Promise.all([durableEnv("pg", "uib"), launchChromium(), uiWorkflows("uib")]);
  await env.startWorker({ actions: [...flows.failing.actions, ...flows.waiting.actions] });
  ui = await startUiServer({ db: env.db, schema: env.schema, host: "127.0.0.1", port: 0, token: null });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  release();
  await browser?.close();
  await ui?.close();
  await env?.close();
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

test("a failed instance: found by filter, its error, failing call and place in the graph", async () => {
  const failed = await env.client.start(flows.failing.artifact, { name: HOSTILE });
  await expect(failed.result()).rejects.toThrow(/card declined/);
  // Another workflow's instance, which the filter must leave out.
  const other = await env.client.start(flows.waiting.artifact, { who: "someone" });

  await page.goto(ui.url);
  await page.locator("select[name=workflow]").selectOption("uibCheckout");
  await page.locator("select[name=status]").selectOption("failed");
  await Promise.all([page.waitForURL(/status=failed/), page.locator("form.filters button").click()]);
  const rows = page.locator("table.instances tbody tr");
  await expect.poll(() => rows.count()).toBe(1);
  expect(await page.locator(`tr[data-id="${other.id}"]`).count()).toBe(0);
  await shot("instances");

  await Promise.all([page.waitForURL(new RegExp(failed.id)), rows.first().locator("a").click()]);
  await expect.poll(() => page.locator("h1 .status").textContent()).toBe("failed");
  // The error, as text (markup included), and the call that failed in the timeline.
  expect(await page.locator(".error .error-name").textContent()).toBe(`Error: card declined for ${HOSTILE}`);
  const failing = page.locator("table.timeline tr.bad", { hasText: "chargeCard" });
  await expect.poll(() => failing.count()).toBeGreaterThan(0);
  expect(await failing.first().textContent()).toContain("failed: Error: card declined");
  expect(await failing.first().locator("td").nth(3).locator("div").count()).toBe(3);
  // The action's stack under the error, as text: its first frame the action in its file,
  // its last the frame the action added holding markup (helpers/ui-workflows.ts).
  const stack = (await page.locator(".error pre.stack").textContent())!.split("\n");
  expect(stack[0]).toMatch(/^at chargeCard \(.*\/test\/tmp\/uib_failing\.ts:\d+:\d+\)$/);
  expect(stack.at(-1)).toBe(`at ${HOSTILE} (hostile.ts:1:1)`);
  // Each failed attempt's stack in the timeline, collapsed until opened.
  const attemptStacks = failing.first().locator("details.attempt-stack");
  expect(await attemptStacks.count()).toBe(3);
  const firstStack = attemptStacks.first().locator("pre.stack");
  expect(await firstStack.isVisible()).toBe(false);
  await attemptStacks.first().locator("summary").click();
  expect(await firstStack.isVisible()).toBe(true);
  expect((await firstStack.textContent())!.split("\n")).toEqual(stack);
  // The graph: where it failed is highlighted, the blocks before it marked as visited.
  const current = page.locator("svg.graph g.node.current.failed");
  expect(await current.count()).toBe(1);
  expect(await current.locator("text.at").textContent()).toBe("chargeCard(user)");
  expect(await page.locator("svg.graph g.node.visited").count()).toBeGreaterThan(0);
  expect(await page.locator("pre.input").textContent()).toContain(JSON.stringify(HOSTILE));
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  await shot("instance-failed");

  await page.goto(new URL("/workflows", ui.url).href);
  expect(await page.locator("table.workflows").textContent()).toContain("uibCheckout");
  await shot("workflows");
  for (const name of ["schedules", "workers"]) {
    await page.goto(new URL(`/${name}`, ui.url).href);
    expect(await page.locator("h1").textContent()).toBe(name[0]!.toUpperCase() + name.slice(1));
    await shot(name);
  }
  expect(await page.locator("table.workers").textContent()).toContain("chargeCard");
  await env.client.handle(other.id).cancel();
});

test("cancel a running instance from its page", async () => {
  const run = await env.client.start(flows.waiting.artifact, { who: "to-cancel" });
  await page.goto(new URL(`/instances/${run.id}`, ui.url).href);
  await page.locator("form.cancel input[name=reason]").fill("stopped from the browser");
  await Promise.all([page.waitForURL(/notice=cancelled/), page.locator("form.cancel button").click()]);
  await expect.poll(() => page.locator("h1 .status").textContent()).toBe("cancelled");
  expect(await page.locator(".error .error-name").textContent()).toContain("stopped from the browser");
  await expect(run.result()).rejects.toThrow(/stopped from the browser/);
  await shot("instance-cancelled");
});

test("send a message to a waiting instance: the page shows it finish without a reload", async () => {
  const gate = new Promise<void>((resolve) => (release = resolve));
  (globalThis as { __uiGate?: Promise<void> }).__uiGate = gate;
  const run = await env.client.start(flows.waiting.artifact, { who: "approver" });
  await page.goto(new URL(`/instances/${run.id}`, ui.url).href);
  await expect.poll(() => page.locator("table.timeline").textContent()).toContain('receive "approve"');
  await page.locator("form.send input[name=topic]").fill("approve");
  await page.locator("form.send textarea[name=message]").fill(JSON.stringify("yes <b>now</b>"));
  await Promise.all([page.waitForURL(/notice=sent/), page.locator("form.send button").click()]);
  // Still running: the action after the receive waits for the gate.
  await expect.poll(() => page.locator("h1 .status").textContent()).toBe("running");
  await page.evaluate(() => ((window as { __sameDocument?: boolean }).__sameDocument = true));
  release();
  await page.waitForFunction(() => document.querySelector("h1 .status")?.textContent === "completed", undefined, { timeout: 15_000 });
  expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  expect(Number(await page.evaluate(() => document.body.dataset.liveUpdates))).toBeGreaterThan(0);
  expect(await page.locator("pre.result").textContent()).toBe(JSON.stringify("got yes <b>now</b>"));
  expect(await page.locator("table.messages").textContent()).toContain("yes <b>now</b>");
  expect(await run.result()).toBe("got yes <b>now</b>");
  await shot("instance-completed");
});
