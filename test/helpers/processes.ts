/** Worker processes for crash tests: spawned with tsx, killed for real. */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const WORKER = fileURLToPath(new URL("../workloads/worker-process.ts", import.meta.url));
// `node --import tsx`, not the tsx CLI: the CLI runs the script in a grandchild, which
// a SIGKILL of the child would orphan instead of killing.
const TSX_LOADER = new URL("../../node_modules/tsx/dist/esm/index.mjs", import.meta.url).href;

export interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
  stderr: () => string;
}

export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ["--import", TSX_LOADER, WORKER], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (c: Buffer) => {
      if (c.toString().includes("ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`worker exited (${code}) before it was ready: ${err}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, ready, exited, stderr: () => err };
}
