import type * as z from 'zod';
import type { Config } from '../config/schema.ts';
import type { ClusterUpgradeSchema, MaintenanceWindowSchema } from '../config/sections/upgrade.ts';

export type UpgradeSettings = z.infer<typeof ClusterUpgradeSchema>;
export type MaintenanceWindow = z.infer<typeof MaintenanceWindowSchema>;

export interface ClusterUpgradeConfig {
  name: string;
  region: string;
  accountId?: string;
  settings: UpgradeSettings;
  maintenanceWindow?: MaintenanceWindow;
}

/** A configured cluster's upgrade settings: `upgrade.defaults`, overridden field by field by the cluster's own block. */
export function clusterUpgradeConfig(config: Config, name: string, region?: string): ClusterUpgradeConfig | undefined {
  const cluster = config.clusters.find((candidate) => candidate.name === name && (region === undefined || (candidate.region ?? config.region) === region));
  if (!cluster) return undefined;
  return {
    name: cluster.name,
    region: cluster.region ?? config.region,
    ...(cluster.account ? { accountId: cluster.account } : {}),
    settings: { ...config.upgrade.defaults, ...cluster.upgrade },
    ...(cluster.maintenanceWindow ? { maintenanceWindow: cluster.maintenanceWindow } : {}),
  };
}
