import type * as z from 'zod';
import { type Config, ConfigSchema } from './schema.ts';

export interface ConfigIssue {
  /** Where in the file: `clusters[0].maintenanceWindow.durationMinutes`. */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: ConfigIssue[];

  constructor(source: string, issues: ConfigIssue[], options?: { cause?: unknown }) {
    super(`${source} is not a valid eksops configuration:\n${issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n')}`, options);
    this.issues = issues;
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`))
    .join('');
}

function toIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => {
    // An unknown key is reported on its parent object; name the key itself so the typo is easy to find.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown setting (check its spelling)' }));
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  }).flat();
}

/** Validates an already parsed document. `source` names it in error messages. */
export function parseConfig(document: unknown, source = 'configuration'): Config {
  const result = ConfigSchema.safeParse(document ?? {});
  if (!result.success) throw new ConfigError(source, toIssues(result.error));
  return result.data;
}
