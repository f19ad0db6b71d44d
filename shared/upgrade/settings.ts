import type * as z from 'zod';
import { resolveCluster } from '../config/clusters.ts';
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
  const resolved = resolveCluster(config, name, { region });
  if (!resolved) return undefined;
  const cluster = resolved.config;
  return {
    name: resolved.name,
    region: resolved.region,
    ...(resolved.accountId === undefined ? {} : { accountId: resolved.accountId }),
    settings: { ...config.upgrade.defaults, ...cluster.upgrade },
    ...(cluster.maintenanceWindow ? { maintenanceWindow: cluster.maintenanceWindow } : {}),
  };
}
