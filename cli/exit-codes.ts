/** The CLI's exit codes, as fixed by the public contract. */
export const ExitCode = {
  ok: 0,
  workflowFailed: 1,
  compileErrors: 2,
  usage: 3,
  /** `cairn result` without --wait: the instance has not finished yet. */
  stillRunning: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A mistake in how the CLI was invoked (missing file, bad --input, unknown
 * workflow...). Commands throw it; main() prints the message and exits 3.
 */
export class UsageError extends Error {
  override name = "UsageError";
}
