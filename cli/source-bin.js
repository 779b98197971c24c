#!/usr/bin/env node
// `cairn` run from its TypeScript sources through tsx: what the repository's own
// tests spawn (test/cli-harness.ts), so they test the code as it is in the tree,
// with no build step that could be stale or race with another test run. The
// installed CLI is cli/bin.js, which runs the build; test/cli-built.test.ts
// checks that one on a freshly built copy of the package.
import { register as registerTsx } from "tsx/esm/api";
import { installCairnResolution } from "./cairn-resolution.js";
import { handleBrokenPipes, runCli } from "./run-cli.js";

handleBrokenPipes();
registerTsx();
// After tsx, so its ESM hook runs first and sees tsx's failures to resolve "cairnjs".
installCairnResolution({ sources: true });
const { main } = await import("./main.ts");
await runCli(main);
