#!/usr/bin/env node
// The installed `cairn`: plain Node running the build (dist/runtime/cli.js, made by
// scripts/build.mjs before the package is packed, and at `npm install` in a
// checkout). No TypeScript loader starts here: tsx and the compiler are imported
// by the commands that compile or load `.ts` files, so a worker serving a bundle
// and prebuilt IR (`cairn worker dist/worker.js --ir dist/cairn`) loads neither.
// The repository's tests run the sources instead: cli/source-bin.js.
import { handleBrokenPipes, runCli } from "./run-cli.js";
import { staleBuildWarning } from "./stale-build.js";

handleBrokenPipes();
const stale = staleBuildWarning();
if (stale) process.stderr.write(stale);
// No resolve hook yet: the CLI's own modules need none, and each module resolved
// through a hook costs a round trip to Node's loader thread. The commands install
// it before the first user module (cli/user-code.ts).
let main;
try {
  ({ main } = await import("../dist/runtime/cli.js"));
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist/runtime/cli.js")) throw error;
  // A checkout whose dist/ was never built (or was removed): say how to build it.
  process.stderr.write("cairn: error: the CLI is not built (dist/runtime/cli.js is missing): run `npm run build` in the cairnjs package\n");
  process.exit(3);
}
await runCli(main);
