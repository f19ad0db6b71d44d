import { createHash } from 'node:crypto';
import {
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  type DesiredConfiguration,
  type InstanceRefresh,
  InstanceRefreshInProgressFault,
  ResourceContentionFault,
  StartInstanceRefreshCommand,
} from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateVersionCommand } from '@aws-sdk/client-ec2';
import { TransientError } from '../errors.ts';
import type { UpgradeClients } from './clients.ts';
import { ensureDrainHook } from './drain/hook.ts';
import { ACTIVE_REFRESH_STATUSES } from './observe-self-managed.ts';
import { MIN_HEALTHY_PERCENTAGE } from './self-managed.ts';
import type { SelfManagedChange } from './stage.ts';

/**
 * Moves one group onto the recommended AMI: a new launch template version made from the one the group uses
 * with only ImageId changed (CreateLaunchTemplateVersion, SourceVersion), then an instance refresh whose desired
 * configuration is that exact version. When the refresh succeeds, Auto Scaling updates the group to its
 * desired configuration (StartInstanceRefresh, DesiredConfiguration): eksops never calls UpdateAutoScalingGroup,
 * and a refresh that fails leaves the group on its old version. Returns the refresh id.
 *
 * Before the refresh starts, the group gets eksops's termination lifecycle hook (drain/hook.ts): an instance refresh
 * terminates instances without cordon or drain, and the hook holds each one in Terminating:Wait until nodeDrain has
 * evicted its pods (Auto Scaling user guide: an instance refresh honours the group's lifecycle hooks).
 */
export async function refreshGroup(clients: UpgradeClients, change: SelfManagedChange, options: { drain: boolean } = { drain: true }): Promise<string> {
  const version = change.templateCurrent ? change.sourceVersion : await createVersion(clients, change);
  const desired = await desiredConfiguration(clients, change, version);
  // Only where nodeDrain hears the hook's events (the deployment's own account): elsewhere a hook nobody answers would
  // hold every instance for the heartbeat timeout and drain nothing.
  if (options.drain) await ensureDrainHook(clients.autoscaling, change.name);
  try {
    const started = await clients.autoscaling.send(
      new StartInstanceRefreshCommand({
        AutoScalingGroupName: change.name,
        Strategy: 'Rolling',
        DesiredConfiguration: desired,
        // SkipMatching replaces only instances not already on the desired launch template version, so a refresh
        // started again after a failure finishes the job instead of starting over.
        Preferences: { MinHealthyPercentage: MIN_HEALTHY_PERCENTAGE, SkipMatching: true, ...(change.instanceWarmup !== undefined ? { InstanceWarmup: change.instanceWarmup } : {}) },
      }),
    );
    if (!started.InstanceRefreshId) throw new Error(`Auto Scaling answered StartInstanceRefresh for ${change.name} without an id`);
    return started.InstanceRefreshId;
  } catch (error) {
    // Started between observe and now (by someone, or by this step before a lost response): adopt it.
    if (error instanceof InstanceRefreshInProgressFault) return adoptRunning(clients, change.name, error);
    // "You already have a pending update to an Auto Scaling resource": another change to the group is in flight.
    if (error instanceof ResourceContentionFault) throw new TransientError(`${change.name}: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * The new version, idempotent on (template, source version, AMI): the ClientToken makes a retried step, or a
 * re-run after a failed refresh, get the version it created before instead of another copy (EC2 returns the
 * original answer for a repeated token with the same parameters).
 */
async function createVersion(clients: UpgradeClients, change: SelfManagedChange): Promise<string> {
  const token = `eksops-${createHash('sha256').update(`${change.launchTemplate.id}/${change.sourceVersion}/${change.toImage}`).digest('hex').slice(0, 40)}`;
  const created = await clients.ec2.send(
    new CreateLaunchTemplateVersionCommand({
      LaunchTemplateId: change.launchTemplate.id,
      SourceVersion: change.sourceVersion,
      LaunchTemplateData: { ImageId: change.toImage },
      VersionDescription: `eksops: EKS-optimized AMI ${change.toImage} (was ${change.fromImage})`,
      ClientToken: token,
    }),
  );
  const number = created.LaunchTemplateVersion?.VersionNumber;
  if (number === undefined) throw new Error(`EC2 answered CreateLaunchTemplateVersion for ${change.launchTemplate.id} without a version number`);
  return String(number);
}

/**
 * The desired configuration: the template at that exact version, or, for a group with a mixed instances policy,
 * the group's current policy (read now) with only the template version changed, since a desired mixed instances
 * policy replaces the whole policy once the refresh succeeds.
 */
async function desiredConfiguration(clients: UpgradeClients, change: SelfManagedChange, version: string): Promise<DesiredConfiguration> {
  const template = { LaunchTemplateId: change.launchTemplate.id, Version: version };
  if (!change.mixedInstances) return { LaunchTemplate: template };
  const group = (await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [change.name] }))).AutoScalingGroups?.[0];
  const policy = group?.MixedInstancesPolicy;
  if (!policy?.LaunchTemplate) throw new Error(`${change.name} no longer has a mixed instances policy; a re-run re-reads it`);
  return { MixedInstancesPolicy: { ...policy, LaunchTemplate: { ...policy.LaunchTemplate, LaunchTemplateSpecification: template } } };
}

async function adoptRunning(clients: UpgradeClients, groupName: string, cause: Error): Promise<string> {
  const refreshes = (await clients.autoscaling.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: groupName }))).InstanceRefreshes ?? [];
  const running = refreshes.find((refresh) => ACTIVE_REFRESH_STATUSES.has(refresh.Status ?? ''));
  // It ended in between: the next step re-observes and decides again.
  if (!running?.InstanceRefreshId) throw new TransientError(`${groupName}: an instance refresh was running and has ended; retrying`, { cause });
  return running.InstanceRefreshId;
}

export interface RefreshOutcome {
  status: 'InProgress' | 'Successful' | 'Failed' | 'Cancelled';
  errors: { errorCode: string; errorMessage: string }[];
}

/**
 * An instance refresh's state in the terms of an EKS update: Pending, InProgress, Cancelling, RollbackInProgress
 * and Baking are still running; Successful is done; Failed, Cancelled and the two rollback ends stop the stage
 * with the StatusReason Auto Scaling gives (the group was not moved to the new AMI).
 */
export async function pollRefresh(clients: UpgradeClients, groupName: string, refreshId: string): Promise<RefreshOutcome> {
  const refresh = (await clients.autoscaling.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: groupName, InstanceRefreshIds: [refreshId] }))).InstanceRefreshes?.[0];
  if (!refresh) return { status: 'Failed', errors: [{ errorCode: 'InstanceRefreshNotFound', errorMessage: `instance refresh ${refreshId} is not listed for the group (deleted with it?)` }] };
  return refreshOutcome(refresh);
}

function refreshOutcome(refresh: InstanceRefresh): RefreshOutcome {
  const status = refresh.Status ?? 'Pending';
  if (ACTIVE_REFRESH_STATUSES.has(status)) return { status: 'InProgress', errors: [] };
  if (status === 'Successful') return { status: 'Successful', errors: [] };
  const reason = refresh.StatusReason ?? `instance refresh ${refresh.InstanceRefreshId ?? ''} ended ${status}`;
  return { status: status === 'Cancelled' ? 'Cancelled' : 'Failed', errors: [{ errorCode: `InstanceRefresh${status}`, errorMessage: reason }] };
}
