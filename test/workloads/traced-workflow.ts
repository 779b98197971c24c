/**
 * Workload of the trace tests (test/otel.test.ts): three sequential actions, the
 * first making a span of its own (as an instrumented HTTP client would); stepB's
 * first attempt, when CAIRN_TEST_HANG_DIR is set, writes a marker file there and
 * never returns, for the test to kill its worker at that point. `flaky` fails its
 * first attempt, for the failure counts.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { trace } from "@opentelemetry/api";
import { action, actionContext, runAction, workflow } from "cairnjs";

export const stepA = action(async function stepA(n: number): Promise<number> {
  // The application's own span: it must nest under the attempt's span.
  return trace.getTracer("app").startActiveSpan("app.work", (span) => {
    span.end();
    return n + 1;
  });
});

export const stepB = action(async function stepB(n: number): Promise<number> {
  const dir = process.env.CAIRN_TEST_HANG_DIR;
  if (dir && actionContext().attempt === 1) {
    writeFileSync(join(dir, "stepB-started"), String(process.pid));
    await new Promise(() => {}); // hangs until the process is killed
  }
  return n * 2;
});

export const stepC = action(async function stepC(n: number): Promise<string> {
  return `done ${n}`;
});

export const flaky = action(async function flaky(n: number): Promise<number> {
  if (actionContext().attempt === 1) throw new TypeError("first attempt fails");
  return n;
});

export const traced = workflow(async function traced(n: number) {
  const a = await stepA(n);
  const b = await stepB(a);
  return await stepC(b);
});

export const retried = workflow(async function retried(n: number) {
  const x = await runAction(flaky(n), { retry: { attempts: 3, delay: 5 } });
  return await stepC(x);
});
