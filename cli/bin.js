#!/usr/bin/env node
// The published entry point stays plain JavaScript so `npx cairn` needs no build
// step: tsx compiles the TypeScript CLI (and users' workflow files) on the fly.
import { register as registerTsx } from "tsx/esm/api";
import { installCairnResolution } from "./cairn-resolution.js";

// A reader that stops early (`cairn status | head`) closes the pipe: the end of
// the output, not a crash with a stack trace. Losing stderr (a log pipe) must not
// stop a worker in the middle of its actions either.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
process.stderr.on("error", (error) => {
  if (error.code !== "EPIPE") throw error;
});

registerTsx();
// After tsx, so its ESM hook runs first and sees tsx's failures to resolve "cairnjs".
installCairnResolution();

const { main } = await import("./main.ts");
const code = await main(process.argv.slice(2));
// User actions may leave handles open (connection pools, timers) that would keep
// the process alive after the command is done: flush our output, then exit.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((done) => stream.write("", done))));
process.exit(code);
