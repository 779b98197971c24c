/** Where a command writes. Injected so commands never reach for globals directly. */
export interface Output {
  /** Results only: what a script piping the CLI consumes. */
  stdout(text: string): void;
  /** Diagnostics, progress, logs and errors. */
  stderr(text: string): void;
}

export const processOutput: Output = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}
