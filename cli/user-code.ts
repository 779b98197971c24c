import { installCairnResolution } from "./cairn-resolution.js";

/**
 * Called before the CLI imports a user module (a bundle, a `.ts` file): installs
 * the resolve hook that lets such code import "cairnjs" from anywhere and loads a
 * typeless ES module bundle as one (cli/cairn-resolution.js). Not at start: the
 * CLI's own modules need no hook, and every module resolved through one costs a
 * round trip to Node's loader thread (cairn --version, a client command). Running
 * from the sources (cli/source-bin.js), it is installed already and this does nothing.
 */
export function prepareUserCodeLoading(): void {
  installCairnResolution();
}
