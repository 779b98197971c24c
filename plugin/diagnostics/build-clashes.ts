import { situation } from "./rules.ts";

/**
 * Clashes between the files of one build, each file fine on its own
 * (build-conflicts.ts): they have no position in a file, so they name the files.
 */
export const BuildClashes = {
  workflowNameClash: situation(
    "workflowNameClash",
    "the workflow name `{name}` is defined more than once ({files}); a worker finds a workflow by its name, so names must be unique in a build",
    "give each workflow its own name",
    ["name", "files"],
  ),
  actionNameClashInBuild: situation(
    "actionNameClash",
    "two different actions are named `{name}`: {actions}; a worker finds an action by its name, so one of them would run for both",
    "give one of them a name of its own: `action(\"{name}-2\", ...)`",
    ["name", "actions"],
  ),
};
