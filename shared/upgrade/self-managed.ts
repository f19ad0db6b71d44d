import type { SelfManagedGroupSnapshot } from './snapshot.ts';
import type { SelfManagedChange } from './stage.ts';

/**
 * Instance refresh preference (Auto Scaling API reference, RefreshPreferences): keep 90 % of the group in
 * service. It is the documented default, stated so that a group's instance maintenance policy cannot lower it
 * unseen; it also sizes the refresh's batches (durations.ts).
 */
export const MIN_HEALTHY_PERCENTAGE = 90;

/**
 * What a refresh of the group waits after each new instance when the group sets no DefaultInstanceWarmup: long
 * enough for a node to boot, join and turn Ready. Without it the refresh falls back to the health check grace
 * period, which is 0 for groups created through the API, and would replace the next node before this one serves.
 */
export const NODE_WARMUP_SECONDS = 300;

/**
 * The instance refresh that would bring a self-managed group onto the recommended EKS-optimized AMI of
 * `clusterVersion`, or undefined when there is none to do: the group is level (its template and its instances run
 * that AMI), or eksops cannot refresh it (no launch template it can change, a custom AMI, no AMI published).
 */
export function selfManagedChange(group: SelfManagedGroupSnapshot, clusterVersion: string): SelfManagedChange | undefined {
  const template = group.launchTemplate;
  const toImage = group.recommendedImages[clusterVersion];
  if (group.obstacle || !template?.ami || !toImage) return undefined;
  const templateCurrent = template.imageId === toImage;
  if (templateCurrent && group.outdatedInstances === 0) return undefined;
  return {
    name: group.name,
    launchTemplate: { id: template.id, name: template.name },
    sourceVersion: template.versionNumber,
    fromImage: template.imageId,
    toImage,
    templateCurrent,
    mixedInstances: template.mixedInstances,
    desiredCapacity: group.desiredCapacity,
    warmupSeconds: group.defaultInstanceWarmup ?? Math.max(group.healthCheckGracePeriod, NODE_WARMUP_SECONDS),
    ...(group.defaultInstanceWarmup === undefined ? { instanceWarmup: Math.max(group.healthCheckGracePeriod, NODE_WARMUP_SECONDS) } : {}),
  };
}
