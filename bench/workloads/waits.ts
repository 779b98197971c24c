/**
 * Workloads of the messages-and-children benchmark. `echo` receives pings in a loop
 * and publishes each under the key the ping names (the message round trip: send ->
 * receive -> publish -> the client sees it); `fanOut100` starts 100 children that
 * each run one no-op action, and joins them.
 */
import { action, publish, receive, workflow } from "cairnjs";

export const waitsNoop = action(async function waitsNoop(i: number): Promise<number> {
  return i;
});

export const echo = workflow(async function echo(rounds: number) {
  for (let i = 0; i < rounds; i++) {
    const ping = await receive<{ key: string }>("ping");
    if (ping === null) return i;
    publish(ping.key, i);
  }
  return rounds;
});

export const leaf = workflow(async function leaf(i: number) {
  return await waitsNoop(i);
});

export const fanOut100 = workflow(async function fanOut100(base: number) {
  const ids: number[] = [];
  for (let i = 0; i < 100; i++) ids.push(base + i);
  const results = await Promise.all(ids.map((i) => leaf(i)));
  return results.length;
});
