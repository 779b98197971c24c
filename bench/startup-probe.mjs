// `node --import <this file> ...` (bench/startup.ts): reports the process's own CPU
// time (user + system, every thread: main, loader hooks, libuv pool) on fd 3 as
// `cpu <ms> wall <ms>` when it is ready, meaning the first stderr write that
// matches CAIRN_PROBE_READY (a regular expression), or when it exits if it never
// matched. Wall time counts from the process's start (performance.timeOrigin).
import { writeSync } from "node:fs";

const ready = new RegExp(process.env.CAIRN_PROBE_READY ?? "(?!)");
let reported = false;
function report() {
  if (reported) return;
  reported = true;
  const { user, system } = process.cpuUsage();
  writeSync(3, `cpu ${((user + system) / 1000).toFixed(1)} wall ${performance.now().toFixed(1)}\n`);
}
const write = process.stderr.write.bind(process.stderr);
process.stderr.write = /** @type {typeof process.stderr.write} */ ((chunk, ...rest) => {
  if (!reported && ready.test(String(chunk))) report();
  return write(chunk, ...rest);
});
process.on("exit", report);
