import type { Statement } from './statement.ts';

/** upgrade: what each function calls, on the narrowest resources AWS allows. Keys are serverless.yml function names. */
export const UPGRADE_PERMISSIONS: Record<string, Statement[]> = {};

/**
 * Actions of this capability that AWS does not let a policy scope to resources, so they need
 * `"Resource": "*"`; each with the reason. The deployment tests refuse any other mutating action on `*`.
 */
export const UPGRADE_UNSCOPABLE: Record<string, string> = {};
