// Types of cli/cairn-resolution.js (plain JavaScript: Node also loads it as a module hook).
export function installCairnResolution(options?: { sources?: boolean }): void;
