import type { ParseArgsConfig } from 'node:util';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** One `eksops` command. Capability issues add theirs to cli/commands/index.ts. */
export interface Command {
  /** Words that select it: `['config', 'validate']`. */
  path: string[];
  summary: string;
  usage: string;
  /** Lines of help after the usage: what it does, its options, an example. */
  help: string[];
  options: NonNullable<ParseArgsConfig['options']>;
  allowPositionals?: boolean;
  /** Returns the process exit code. */
  run(args: { values: Record<string, unknown>; positionals: string[] }, io: CliIo): Promise<number>;
}
