import { situation } from "./rules.ts";

/**
 * CAIRN130-137, a `schedule(...)` declaration the build cannot compile into the
 * manifest (plugin/analyze/schedules.ts): it must be an exported module-level
 * constant whose spec and options are known at build time.
 */
const FORM = "write `export const nightly = schedule(\"0 3 * * *\", report, { timezone: \"UTC\" })` at the top level of a module";
const STATIC = "write the spec and options as literals (strings, numbers, booleans, null, object and array literals) or module-level constants: the build copies them into the manifest";

export const ScheduleMisuse = {
  scheduleNotModuleLevel: situation(
    "scheduleNotModuleLevel",
    "`{callee}(...)` must be the value of an exported module-level `const`, not {where}",
    FORM,
    ["callee", "where"],
  ),
  scheduleNotExported: situation(
    "scheduleNotExported",
    "the schedule {what} is not exported: a schedule is named by its export, which the manifest lists",
    "export it: `export const {local} = schedule(...)`",
    ["what", "local"],
  ),
  scheduleNotWorkflow: situation(
    "scheduleWorkflow",
    "the workflow of schedule `{name}` ({what}) is not a workflow defined in this build",
    "pass a workflow declared with `workflow(...)` or `@workflow`, defined in this module or imported from one of the project's",
    ["name", "what"],
  ),
  scheduleSpec: situation("scheduleSpec", "schedule `{name}`: {problem}", "write a 5-field cron expression (`\"0 3 * * *\"`, minute hour day-of-month month day-of-week) or `{ every: \"5m\" }`", ["name", "problem"]),
  scheduleUnknownOption: situation(
    "scheduleOption",
    "unknown schedule option `{key}`",
    "the options are {keys}",
    ["key", "keys"],
  ),
  scheduleOptionValue: situation("scheduleOption", "schedule option `{key}` is {value}, expected {expected}", "write one of {expected}", ["key", "value", "expected"]),
  scheduleTimezone: situation("scheduleTimezone", "schedule `{name}`: {problem}", "write an IANA time zone name such as \"UTC\", \"Europe/Berlin\" or \"America/New_York\"", ["name", "problem"]),
  scheduleNotStatic: situation("scheduleNotStatic", "the {what} of schedule `{name}` cannot be known at build time ({why})", STATIC, ["what", "name", "why"]),
  scheduleNameClash: situation(
    "scheduleNameClash",
    "the schedule name `{name}` is exported by more than one module ({files}); a worker registers a schedule by its name, so names must be unique in a build",
    "rename one of the exports",
    ["name", "files"],
  ),
};
