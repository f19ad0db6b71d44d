import type { Config } from '../shared/config/schema.ts';

/**
 * The configuration sections each function reads (functions/<name>/app.ts and the cores it calls), beyond the
 * ones every function needs to build its clients and pass the schema's cross-checks (region, dryRun, accounts,
 * clusters). A dropped section parses back to its defaults (off), so a bundle carries only what its function
 * uses. Secret material is never in the configuration: secrets, destination credentials and the external IDs
 * are references (names of SSM parameters / Secrets Manager secrets), and URLs carry no userinfo.
 */
type Section = 'notify' | 'logs' | 'scan' | 'tags' | 'upgrade' | 'access';
export const FUNCTION_CONFIG_SECTIONS: Record<string, readonly Section[]> = {
  clusterOnboarding: ['notify', 'access'],
  logForwarder: ['logs'],
  logReplay: ['logs'],
  logSubscriptions: ['notify', 'logs'],
  nodeTags: ['notify', 'tags'],
  upgradeBegin: ['notify', 'upgrade'],
  upgradeAdvance: ['notify', 'upgrade'],
  upgradePoll: ['notify', 'upgrade'],
  upgradeFinish: ['notify', 'upgrade'],
  upgradeApprovalRequest: ['notify', 'upgrade'],
  upgradeApproval: ['notify', 'upgrade'],
  nodeDrain: ['notify', 'upgrade'],
};

const ALWAYS = ['region', 'dryRun', 'accounts', 'clusters'] as const;

export function projectConfig(config: Config, functionName: string): Partial<Config> {
  const sections = FUNCTION_CONFIG_SECTIONS[functionName];
  if (!sections) throw new Error(`no configuration projection for function ${functionName}: add it to FUNCTION_CONFIG_SECTIONS`);
  const keep = new Set<string>([...ALWAYS, ...sections]);
  return Object.fromEntries(Object.entries(config).filter(([key]) => keep.has(key))) as Partial<Config>;
}
