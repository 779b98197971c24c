/**
 * Fixture projects for the bundler tests, written to a fresh folder under
 * test/tmp/ (git-ignored) with `node_modules/cairnjs` linked to this repository, as
 * an application that depends on cairn would have it.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join, relative } from "node:path";
import { REPO_ROOT } from "./fixtures.ts";

export interface TempProject {
  dir: string;
  path(rel: string): string;
  write(rel: string, text: string): void;
  remove(): void;
}

export function createProject(name: string, files: Record<string, string>): TempProject {
  const dir = join(REPO_ROOT, "test", "tmp", `${name}-${randomBytes(4).toString("hex")}`);
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(REPO_ROOT, join(dir, "node_modules", "cairnjs"), "dir");
  const project: TempProject = {
    dir,
    path: (rel) => join(dir, rel),
    write(rel, text) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  project.write("package.json", JSON.stringify({ name, private: true, type: "module" }, null, 2) + "\n");
  for (const [rel, text] of Object.entries(files)) project.write(rel, text);
  return project;
}

/** Path as diagnostics print it: relative to the working directory (the repository root under vitest). */
export function shown(project: TempProject, rel: string): string {
  return relative(process.cwd(), project.path(rel)).split("\\").join("/");
}

/** Error classes in a module that never imports cairn: only pinned through the modules that use them. */
const ERRORS = `export class PaymentDeclined extends Error {}
export class CardExpired extends PaymentDeclined {}
export class FraudSuspected extends Error {}
`;

/** QuotaExceeded is declared in a cairn module: pinned by a static block in its own body. */
const ACTIONS = `import { action } from "cairnjs";
import { CardExpired, FraudSuspected } from "./errors.ts";

export class QuotaExceeded extends Error {}

export const loadUser = action(async function loadUser(id: string): Promise<{ email: string; plan: string }> {
  return { email: \`\${id}@example.com\`, plan: id === "free-user" ? "free" : "pro" };
});
export const charge = action(async function charge(id: string, plan: string): Promise<string> {
  if (id === "expired") throw new CardExpired(\`card of \${id} expired\`);
  if (id === "stolen") throw new FraudSuspected(\`card of \${id} looks stolen\`);
  if (id === "busy") throw new QuotaExceeded("try later");
  return \`receipt-\${id}-\${plan}\`;
});
export const sendEmail = action("send-email", async (to: string, subject: string): Promise<void> => {
  void to;
  void subject;
});
`;

const WORKFLOWS = `import { workflow, Workflow, runAction, RetryPolicy } from "cairnjs";
import { loadUser, charge, sendEmail, QuotaExceeded } from "./actions.ts";
import { PaymentDeclined } from "./errors.ts";

export const onboarding = workflow(async function onboarding(userId: string) {
  const user = await loadUser(userId);
  await sendEmail(user.email, "Welcome!");
  try {
    const receipt = await runAction(charge(userId, user.plan), { retry: new RetryPolicy({ attempts: 1 }) });
    return { charged: true, receipt };
  } catch (err) {
    if (err instanceof PaymentDeclined) {
      await sendEmail(user.email, "Please update your card");
      return { charged: false, receipt: null };
    }
    if (err instanceof QuotaExceeded) return { charged: false, receipt: "later" };
    throw err;
  }
});

@workflow
export class Digest extends Workflow {
  async run(userIds: string[]) {
    const users = await Promise.all(userIds.map((id) => loadUser(id)));
    const paying = users.filter((u) => u.plan !== "free");
    return paying.length;
  }
}

export function describeWorkflows(): string {
  return ["onboarding", "Digest"].join(" and ");
}
`;

/** Where `text` first occurs in `source`: 1-based line, 0-based column. */
export function positionOf(source: string, text: string): { line: number; column: number } {
  const at = source.indexOf(text);
  if (at < 0) throw new Error(`${JSON.stringify(text)} not found`);
  const before = source.slice(0, at).split("\n");
  return { line: before.length, column: before[before.length - 1].length };
}

export const GOOD_FILES: Record<string, string> = {
  "src/errors.ts": ERRORS,
  "src/actions.ts": ACTIONS,
  "src/workflows.ts": WORKFLOWS,
  "src/index.ts": `export * from "./actions.ts";\nexport * from "./workflows.ts";\n`,
};

/** Source snippets of the workflow bodies; none may reach a bundle. */
export const BODY_SNIPPETS = ['user.email, "Welcome!"', "paying.length", "userIds.map("];

export const BAD_FILES: Record<string, string> = {
  ...GOOD_FILES,
  "src/bad.ts": `import { workflow } from "cairnjs";
import { loadUser } from "./actions.ts";

export const bad = workflow(async function bad(userId: string) {
  const user = await loadUser(userId);
  const started = Date.now();
  const seen = new Map();
  return { user, started, seen };
});
`,
  "src/index.ts": `export * from "./actions.ts";\nexport * from "./workflows.ts";\nexport * from "./bad.ts";\n`,
};

/** The two diagnostics of src/bad.ts, as the CLI prints their first two lines (`text`: without the position, as bundlers that show it themselves print it). */
export function badDiagnostics(project: TempProject): Array<{ header: string; text: string; hint: string; line: number; column: number; lineText: string }> {
  const file = shown(project, "src/bad.ts");
  const first = "CAIRN100: `Date.now()` is nondeterministic and cannot run in a workflow body";
  const second = "CAIRN102: `new Map()` is not allowed in a workflow body; only `new RetryPolicy(...)` is";
  return [
    {
      header: `${file}:6:19: error ${first}`,
      text: first,
      hint: "hint: move it into an action and await the action, so its result is recorded and replayed",
      line: 6,
      column: 19,
      lineText: "  const started = Date.now();",
    },
    {
      header: `${file}:7:16: error ${second}`,
      text: second,
      hint: "hint: construct the object inside an action, or use a plain object literal",
      line: 7,
      column: 16,
      lineText: "  const seen = new Map();",
    },
  ];
}

/** A project that builds with one compiler warning: its workflow calls an action its module does not export. */
/** Two modules, each clean on its own, whose workflows call two different actions named "send". */
export const CLASH_FILES: Record<string, string> = {
  "src/email.ts": `import { action, workflow } from "cairnjs";\nexport const send = action(async function send(to: string) { return "mail " + to; });\nexport const mail = workflow(async function mail(to: string) { return await send(to); });\n`,
  "src/sms.ts": `import { action } from "cairnjs";\nexport const send = action(async function send(to: string) { return "sms " + to; });\n`,
  "src/texts.ts": `import { workflow } from "cairnjs";\nimport { send } from "./sms.ts";\nexport const text = workflow(async function text(to: string) { return await send(to); });\n`,
  "src/index.ts": `export { mail } from "./email.ts";\nexport { text } from "./texts.ts";\n`,
};

/** The build error a CLASH_FILES project fails with (its diagnostic and hint), paths as the plugin prints them. */
export function clashError(project: TempProject): string {
  const at = (rel: string) => shown(project, rel);
  return (
    `${at("src/email.ts")}: error CAIRN117: two different actions are named \`send\`: \`send\` of ${at("src/email.ts")} (called by ${at("src/email.ts")}) ` +
    `and \`send\` of ${at("src/sms.ts")} (called by ${at("src/texts.ts")}); a worker finds an action by its name, so one of them would run for both\n` +
    `  hint: give one of them a name of its own: \`action("send-2", ...)\``
  );
}

export const WARN_FILES: Record<string, string> = {
  "src/index.ts": `import { action, workflow } from "cairnjs";

const inc = action(async function inc(n: number): Promise<number> {
  return n + 1;
});

export const bump = workflow(async function bump(n: number) {
  return await inc(n);
});
`,
};

/** The warning of WARN_FILES, as the CLI prints its first two lines. */
export function warnDiagnostic(project: TempProject): { header: string; text: string; hint: string; line: number; column: number; lineText: string } {
  const text =
    "CAIRN118: the action `inc` is not exported from ./index.ts: workers find actions among the exports of modules, so no worker would run `inc(...)`";
  return {
    header: `${shown(project, "src/index.ts")}:8:16: warning ${text}`,
    text,
    hint: "hint: export it (`export const inc = action(...)`), or hand it to your worker yourself",
    line: 8,
    column: 16,
    lineText: "  return await inc(n);",
  };
}
