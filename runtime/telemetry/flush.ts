/**
 * Flushing what an application's OpenTelemetry SDK holds before a short-lived
 * process exits (`cairn run`, `cairn start`): their spans are otherwise still in
 * the SDK's batch when the process ends. Reaches the SDK through the API's global
 * providers; with none registered there is nothing to flush and this returns at once.
 */
import { metrics, trace } from "@opentelemetry/api";

type Flushable = { forceFlush?: () => Promise<unknown>; getDelegate?: () => unknown };

export async function flushTelemetry(timeoutMs: number): Promise<void> {
  const flushes: Promise<unknown>[] = [];
  for (const registered of [trace.getTracerProvider(), metrics.getMeterProvider()] as Flushable[]) {
    // The tracer provider is the API's proxy; the SDK's provider is its delegate.
    const provider = (registered.getDelegate?.() ?? registered) as Flushable;
    if (typeof provider.forceFlush === "function") flushes.push(provider.forceFlush().catch(() => {}));
  }
  if (flushes.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  // An unreachable collector must not hold the command's exit for long.
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs).unref()));
  await Promise.race([Promise.all(flushes), timeout]);
  clearTimeout(timer);
}
