import type { Figure } from './figures.ts';

export interface BenchContext {
  /** The repository's root directory (where serverless.yml is). */
  repoRoot: string;
  /** Progress for the person watching; goes to stderr so stdout carries only the table. */
  progress(message: string): void;
}

/** Something that went wrong in a group, named after what it was measuring (a function, a scenario). */
export interface BenchFailure {
  subject: string;
  message: string;
}

export interface GroupOutcome {
  figures: Figure[];
  /** Non-empty makes the bench exit non-zero; the figures measured despite them are still reported. */
  failures: BenchFailure[];
}

/** A group of figures, run by `npm run bench -- <name>`. Its figures' ids start with `<name>.`. */
export interface BenchGroup {
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  run(context: BenchContext): Promise<GroupOutcome>;
}
