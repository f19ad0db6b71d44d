import { clusterUpgradeConfig } from './settings.ts';
import type { ClusterRef } from './cluster-ref.ts';
import type { UpgradeDeps } from './clients.ts';

/**
 * The cluster a run was about when it failed before having a run state (in the first task, after the lock
 * may have been taken): from the original request, resolved through the configuration as the first task did.
 */
export function clusterOfFailedStart(state: Record<string, unknown>, deps: UpgradeDeps): ClusterRef | undefined {
  const name = typeof state.cluster === 'string' ? state.cluster : undefined;
  if (!name) return undefined;
  const region = typeof state.region === 'string' ? state.region : undefined;
  const configured = clusterUpgradeConfig(deps.config, name, region);
  if (!configured) return undefined;
  const accountId = typeof state.accountId === 'string' ? state.accountId : configured.accountId;
  return { name: configured.name, region: configured.region, ...(accountId ? { accountId } : {}) };
}
