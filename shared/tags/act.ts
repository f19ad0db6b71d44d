import { type AutoScalingClient, CreateOrUpdateTagsCommand, DeleteTagsCommand as DeleteAsgTagsCommand } from '@aws-sdk/client-auto-scaling';
import { CreateTagsCommand, DeleteTagsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { ResourceChange } from './model.ts';
import type { TokenBucket } from '../concurrency/token-bucket.ts';
import { type AsgTagWrite, asgBatches, type Ec2TagWrite, ec2Batches } from './write-batches.ts';

/** The AWS calls act makes, and nothing else. */
export interface ActClients {
  ec2: EC2Client;
  autoscaling: AutoScalingClient;
}

export interface ActLimits {
  ec2: TokenBucket;
  autoscaling: TokenBucket;
}

export interface ActOutcome {
  /** Mutating calls that succeeded, by API. */
  calls: { ec2CreateTags: number; ec2DeleteTags: number; asgCreateOrUpdateTags: number; asgDeleteTags: number };
  /** Resources that disappeared before they could be tagged (terminated instances, deleted groups). */
  gone: string[];
  failures: { resources: string[]; error: Error }[];
}

// EC2 names the missing resource of a CreateTags/DeleteTags call in the error code; the IDs are in the message.
const NOT_FOUND_CODES = new Set(['InvalidInstanceID.NotFound', 'InvalidVolume.NotFound', 'InvalidNetworkInterfaceID.NotFound', 'InvalidID']);
const RESOURCE_ID = /\b(?:i|vol|eni)-[0-9a-f]+\b/g;

/**
 * Act: writes only the difference, grouped (EC2: identical tag sets, up to 1,000 resources per call; Auto
 * Scaling: 25 tags per call), each call paced by its API's token bucket. Throttling and 5xx are retried by
 * the SDK; a resource that no longer exists is "gone", and the rest of its call is written again without it.
 */
export async function applyChanges(changes: readonly ResourceChange[], clients: ActClients, limits: ActLimits): Promise<ActOutcome> {
  const outcome: ActOutcome = { calls: { ec2CreateTags: 0, ec2DeleteTags: 0, asgCreateOrUpdateTags: 0, asgDeleteTags: 0 }, gone: [], failures: [] };
  for (const write of asgBatches(changes)) await writeAsgTags(write, clients, limits, outcome);
  for (const write of ec2Batches(changes)) await writeEc2Tags(write, clients, limits, outcome);
  return outcome;
}

async function writeEc2Tags(write: Ec2TagWrite, clients: ActClients, limits: ActLimits, outcome: ActOutcome): Promise<void> {
  let ids = write.resourceIds;
  while (ids.length > 0) {
    await limits.ec2.take();
    try {
      if (write.action === 'create') {
        const tags = Object.entries(write.tags as Record<string, string>).map(([Key, Value]) => ({ Key, Value }));
        await clients.ec2.send(new CreateTagsCommand({ Resources: ids, Tags: tags }));
        outcome.calls.ec2CreateTags += 1;
      } else {
        // Keys only, never an empty list: DeleteTags without Tags deletes every tag of the resource.
        await clients.ec2.send(new DeleteTagsCommand({ Resources: ids, Tags: (write.tags as string[]).map((Key) => ({ Key })) }));
        outcome.calls.ec2DeleteTags += 1;
      }
      return;
    } catch (error) {
      const missing = missingResources(error, ids);
      if (missing.length === 0) {
        outcome.failures.push({ resources: ids, error: error as Error });
        return;
      }
      outcome.gone.push(...missing);
      ids = ids.filter((id) => !missing.includes(id));
    }
  }
}

function missingResources(error: unknown, ids: readonly string[]): string[] {
  if (!(error instanceof Error) || !NOT_FOUND_CODES.has(error.name)) return [];
  const named = new Set(error.message.match(RESOURCE_ID) ?? []);
  return ids.filter((id) => named.has(id));
}

async function writeAsgTags(write: AsgTagWrite, clients: ActClients, limits: ActLimits, outcome: ActOutcome): Promise<void> {
  let entries = write.tags;
  while (entries.length > 0) {
    await limits.autoscaling.take();
    try {
      if (write.action === 'create') {
        await clients.autoscaling.send(new CreateOrUpdateTagsCommand({ Tags: entries.map((entry) => ({ ResourceId: entry.asgName, ResourceType: 'auto-scaling-group', Key: entry.key, Value: entry.value, PropagateAtLaunch: entry.propagate })) }));
        outcome.calls.asgCreateOrUpdateTags += 1;
      } else {
        await clients.autoscaling.send(new DeleteAsgTagsCommand({ Tags: entries.map((entry) => ({ ResourceId: entry.asgName, ResourceType: 'auto-scaling-group', Key: entry.key })) }));
        outcome.calls.asgDeleteTags += 1;
      }
      return;
    } catch (error) {
      // Auto Scaling reports a deleted group as a ValidationError naming it.
      const message = error instanceof Error ? error.message : '';
      const gone = [...new Set(entries.map((entry) => entry.asgName))].filter((name) => (error as Error).name === 'ValidationError' && message.includes(name) && /not found/i.test(message));
      if (gone.length === 0) {
        outcome.failures.push({ resources: [...new Set(entries.map((entry) => entry.asgName))], error: error as Error });
        return;
      }
      outcome.gone.push(...gone);
      entries = entries.filter((entry) => !gone.includes(entry.asgName));
    }
  }
}
