import { dirname, join, sep } from "node:path";
import { CAIRN_CODE } from "../pipeline/own-code.ts";

/**
 * esbuild's onLoad filters for paths: the candidates found by the scan, and
 * everything outside the scanned tree. esbuild runs them in Go (RE2), which has
 * no lookahead, so "not under these folders" is spelled out as a trie.
 */

/** Matches exactly these absolute paths (and nothing when empty). */
export function exactPaths(files: Iterable<string>): RegExp {
  const escaped = [...files].map(escapeRegExp);
  return escaped.length === 0 ? /^\x00$/ : new RegExp(`^(?:${escaped.join("|")})$`);
}

/**
 * Matches every path that is not inside one of `dirs` (absolute, each ending in
 * a path separator): at each point of the trie of the dirs, a path may end, go
 * on with a character no dir has there, or follow a dir, until it has spelled a
 * whole dir, where it stops matching.
 */
export function notUnder(dirs: Iterable<string>): RegExp {
  const root: Trie = new Map();
  for (const dir of dirs) {
    if (dir === "") continue;
    let node: Trie | null = root;
    for (const ch of dir) {
      // A shorter dir already holds this one.
      if (isEnd(node)) {
        node = null;
        break;
      }
      let next = node.get(ch);
      if (next === undefined) node.set(ch, (next = new Map()));
      node = next;
    }
    // Everything below a dir is inside it, whatever longer dirs were added before.
    node?.clear();
    node?.set(END_KEY, END);
  }
  return new RegExp(`^${alternatives(root)}`);
}

type Trie = Map<string, Trie>;
/** Not a character: marks a node where a whole dir has been spelled. */
const END_KEY = "";
const END: Trie = new Map();
const isEnd = (node: Trie): boolean => node.get(END_KEY) === END;

function alternatives(node: Trie): string {
  const chars = [...node.keys()];
  const branches = ["$", chars.length === 0 ? "[\\s\\S]" : `[^${chars.map(escapeClassChar).join("")}]`];
  for (const [ch, child] of node) if (!isEnd(child)) branches.push(escapeRegExp(ch) + alternatives(child));
  return `(?:${branches.join("|")})`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function escapeClassChar(ch: string): string {
  return /[\]\\^\-[]/.test(ch) ? `\\${ch}` : ch;
}

/**
 * The paths esbuild's cairn plugin checks as it loads them: all but the working
 * directory (scanned up front), every `node_modules` from it up to the root, and
 * cairn's own code.
 */
export function outsideFilter(workDir: string): RegExp {
  const dirs = [withSep(workDir), ...CAIRN_CODE];
  for (let dir = workDir; ; dir = dirname(dir)) {
    dirs.push(withSep(join(dir, "node_modules")));
    if (dirname(dir) === dir) return notUnder(dirs);
  }
}

const withSep = (dir: string): string => (dir.endsWith(sep) ? dir : dir + sep);
