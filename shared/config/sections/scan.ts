import * as z from 'zod';

const Severity = z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL']);

export const ScanSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Repository name globs to scan (default: every repository). */
  repositories: z.array(z.string().min(1)).min(1).default(['*']),
  policy: z
    .strictObject({
      /** The verdict fails when a finding at or above this severity is present. */
      failOn: Severity.default('HIGH'),
      /** Findings to ignore, by vulnerability ID, each with the reason a reviewer gave. */
      ignore: z.array(z.strictObject({ id: z.string().min(1), reason: z.string().min(1), until: z.iso.date().optional() })).default([]),
      secrets: z.enum(['fail', 'warn', 'off']).default('fail'),
      /** Image configuration checks (root user, no healthcheck …). */
      configuration: z.enum(['fail', 'warn', 'off']).default('warn'),
    })
    .prefault({}),
});
