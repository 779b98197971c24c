/**
 * The generated application `bench:build` bundles: 500 TypeScript modules in a
 * temp folder with `node_modules/cairnjs` linked to this repository. Variant
 * "workflows" has 40 workflow modules (the compile benchmark's realistic files:
 * actions, error classes, two workflows each) and 460 ordinary modules; variant
 * "plain" has 500 ordinary modules, so the two isolate what the plugin costs on
 * each kind of module.
 *
 * The app lives where a project would, under `parent` (default: this
 * repository's git-ignored `.cairn/bench`), not in the system temp directory:
 * the compile cache and the artifacts are files the plugin creates, and on some
 * machines creating a file under /tmp costs a millisecond (this project's 2-core
 * VM: 1 ms, against 0.015 ms elsewhere on the same disk), which would be the
 * machine's cost, not the plugin's.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateCorpus } from "./corpus.ts";

export const MODULES = 500;
export const WORKFLOW_MODULES = 40;
const REPO_ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

export interface BenchApp {
  /** The project (package.json, src/, node_modules/). */
  dir: string;
  entry: string;
  /** A folder beside the project for build outputs and explicit cache folders, which a plugin scanning the project must not see. */
  work: string;
  workflowModules: number;
  remove(): void;
}

export const DEFAULT_APP_PARENT = join(REPO_ROOT, ".cairn", "bench");

export function writeApp(variant: "workflows" | "plain", parent = DEFAULT_APP_PARENT): BenchApp {
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(join(parent, `${variant}-`));
  const dir = join(root, "app");
  const work = join(root, "work");
  mkdirSync(work);
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(REPO_ROOT, join(dir, "node_modules", "cairnjs"), "dir");
  mkdirSync(join(dir, "src", "mod"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `bench-${variant}`, private: true, type: "module" }));
  const workflowModules = variant === "workflows" ? WORKFLOW_MODULES : 0;
  const flows = generateCorpus("/unused", 130 * workflowModules).slice(0, workflowModules);
  // Workflow modules spread through the app rather than bunched at one end.
  const step = Math.floor(MODULES / WORKFLOW_MODULES);
  const isFlow = (i: number) => i % step === 0 && i / step < workflowModules;
  const plainBelow = (i: number): number | null => {
    for (let j = i; j >= 0; j--) if (!isFlow(j)) return j;
    return null;
  };
  const exports: string[] = [];
  for (let i = 0; i < MODULES; i++) {
    const deps = [...new Set([plainBelow(i - 1), plainBelow(Math.floor(i / 2) - 1)])].filter((d): d is number => d !== null && d < i);
    const source = isFlow(i) ? flows[i / step]!.source : plainModule(i, deps);
    writeFileSync(join(dir, "src", "mod", `m${i}.ts`), source);
    exports.push(`export * as m${i} from "./mod/m${i}.ts";`);
  }
  writeFileSync(join(dir, "src", "index.ts"), exports.join("\n") + "\n");
  return { dir, entry: join(dir, "src", "index.ts"), work, workflowModules, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** An ordinary module: types, a class, functions, and imports of two earlier modules. */
function plainModule(i: number, deps: readonly number[]): string {
  return `${deps.map((d) => `import { helper${d}, Registry${d} } from "./m${d}.ts";`).join("\n")}

export interface Item${i} {
  id: string;
  label: string;
  weight: number;
  tags: readonly string[];
}

export type Filter${i} = (item: Item${i}) => boolean;

export class Registry${i} {
  private readonly items = new Map<string, Item${i}>();

  add(item: Item${i}): this {
    if (this.items.has(item.id)) throw new Error(\`duplicate item \${item.id} in registry ${i}\`);
    this.items.set(item.id, item);
    return this;
  }

  find(filter: Filter${i}): Item${i}[] {
    return [...this.items.values()].filter(filter).sort((a, b) => a.weight - b.weight);
  }

  get size(): number {
    return this.items.size;
  }
}

export function helper${i}(values: number[], factor = ${(i % 7) + 1}): number {
  let total = 0;
  for (const v of values) total += v * factor;
  return ${deps.length > 0 ? `total + helper${deps[0]}([total % 10])` : "total"};
}

export function describe${i}(item: Item${i}): string {
  const tags = item.tags.length > 0 ? \` [\${item.tags.join(", ")}]\` : "";
  return \`\${item.label} (\${item.weight.toFixed(2)})\${tags}\`;
}

export const DEFAULTS_${i} = { label: "module ${i}", weight: ${i / 10}, tags: ["m${i}"] } as const;
${deps.length > 0 ? `export const parent${i} = new Registry${deps[deps.length - 1]}();\n` : ""}`;
}
