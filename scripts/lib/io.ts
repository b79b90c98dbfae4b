/** Where the CLI writes: the process's streams, or buffers when a test runs it in-process. */
export interface CliIo {
  /** Standard output: the result (CSV, JSON). */
  out(text: string): void;
  /** Standard error: reports, notes, messages. */
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};
