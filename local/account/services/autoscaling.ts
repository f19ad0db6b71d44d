import {
  AutoScalingServiceException,
  type CreateOrUpdateTagsCommandInput,
  type DeleteTagsCommandInput,
  type DescribeAutoScalingGroupsCommandInput,
  type DescribeAutoScalingGroupsCommandOutput,
  InvalidNextToken,
} from '@aws-sdk/client-auto-scaling';
import type { AccountRegion, CallContext, SandboxService, ServiceOutput } from '../account.ts';
import type { SandboxEc2 } from './ec2.ts';
import { MAX_TAGS_PER_RESOURCE } from './tag-rules.ts';

export interface AsgTagRecord {
  value: string;
  propagate: boolean;
}

export interface AsgRecord {
  name: string;
  arn: string;
  tags: Map<string, AsgTagRecord>;
  availabilityZones: string[];
  suspendedProcesses: string[];
  instanceIds: string[];
  /** Launch template settings its instances get. */
  metadataTags: boolean;
  /** Tags the launch template gives new volumes (the only way volumes get tags at launch). */
  volumeTags: Record<string, string>;
}

export interface AsgSeed {
  tags?: Record<string, string | AsgTagRecord>;
  availabilityZones?: string[];
  suspendedProcesses?: string[];
  instances?: number;
  metadataTags?: boolean;
  volumeTags?: Record<string, string>;
}

// Amazon EC2 Auto Scaling: CreateOrUpdateTags takes at most 25 tags a call (eksops's limit, issue 4; the
// sandbox enforces it so a regression shows); DescribeAutoScalingGroups MaxRecords at most 100.
const MAX_TAGS_PER_CALL = 25;
const MAX_RECORDS = 100;
const validation = (message: string) => new AutoScalingServiceException({ name: 'ValidationError', $fault: 'client', message, $metadata: {} });

/**
 * Amazon EC2 Auto Scaling in the in-memory account: groups with tags and PropagateAtLaunch, suspended
 * processes, and a launch that copies propagating tags to the new instance (only to it: never to its
 * volumes, which get only the launch template's volume tags).
 */
export class SandboxAutoScaling implements SandboxService {
  readonly clientName = 'AutoScalingClient';
  readonly label = 'autoscaling';
  readonly #groups = new Map<string, AsgRecord>();
  readonly #ec2: SandboxEc2;
  #throttleEvery = 0;
  #mutatingCalls = 0;

  constructor(ec2: SandboxEc2) {
    this.#ec2 = ec2;
  }

  /** The first mutating call and every `every`-th after it fail with Throttling before changing anything (0: never). */
  throttleMutating(every: number): void {
    this.#throttleEvery = every;
    this.#mutatingCalls = 0;
  }

  readonly commands = {
    DescribeAutoScalingGroupsCommand: (input: DescribeAutoScalingGroupsCommandInput, ctx: CallContext): ServiceOutput<DescribeAutoScalingGroupsCommandOutput> => {
      const max = input.MaxRecords ?? 50;
      if (max < 1 || max > MAX_RECORDS) throw validation(`MaxRecords must be between 1 and ${MAX_RECORDS}`);
      let groups = this.#groupsIn(ctx);
      if (input.AutoScalingGroupNames?.length) groups = groups.filter((group) => input.AutoScalingGroupNames?.includes(group.name));
      for (const filter of input.Filters ?? []) {
        const values = filter.Values ?? [];
        groups = groups.filter((group) => {
          if (filter.Name === 'tag-key') return [...group.tags.keys()].some((key) => values.includes(key));
          if (filter.Name === 'tag-value') return [...group.tags.values()].some((tag) => values.includes(tag.value));
          if (filter.Name?.startsWith('tag:')) {
            const tag = group.tags.get(filter.Name.slice(4));
            return tag !== undefined && values.includes(tag.value);
          }
          throw validation(`Filter name ${filter.Name} is not valid`);
        });
      }
      groups.sort((a, b) => (a.name < b.name ? -1 : 1));
      const start = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64url').toString()) : 0;
      if (!Number.isInteger(start) || start < 0) throw new InvalidNextToken({ message: 'The token is invalid', $metadata: {} });
      const page = groups.slice(start, start + max);
      return {
        AutoScalingGroups: page.map((group) => ({
          AutoScalingGroupName: group.name,
          AutoScalingGroupARN: group.arn,
          MinSize: 0,
          MaxSize: 100,
          DesiredCapacity: group.instanceIds.length,
          DefaultCooldown: 300,
          HealthCheckType: 'EC2',
          CreatedTime: new Date(0),
          AvailabilityZones: group.availabilityZones,
          SuspendedProcesses: group.suspendedProcesses.map((ProcessName) => ({ ProcessName, SuspensionReason: 'User suspended' })),
          Instances: group.instanceIds.map((InstanceId) => ({ InstanceId, AvailabilityZone: this.#ec2.instance(ctx, InstanceId)?.availabilityZone ?? '', LifecycleState: 'InService', HealthStatus: 'Healthy', ProtectedFromScaleIn: false })),
          Tags: [...group.tags].map(([Key, tag]) => ({ ResourceId: group.name, ResourceType: 'auto-scaling-group', Key, Value: tag.value, PropagateAtLaunch: tag.propagate })),
        })),
        ...(start + max < groups.length ? { NextToken: Buffer.from(String(start + max)).toString('base64url') } : {}),
      };
    },
    CreateOrUpdateTagsCommand: (input: CreateOrUpdateTagsCommandInput, ctx: CallContext): ServiceOutput<Record<string, never>> => {
      this.#maybeThrottle();
      const tags = input.Tags ?? [];
      if (tags.length === 0 || tags.length > MAX_TAGS_PER_CALL) throw validation(`CreateOrUpdateTags takes 1 to ${MAX_TAGS_PER_CALL} tags; got ${tags.length}`);
      const byGroup = new Map<AsgRecord, Map<string, AsgTagRecord>>();
      for (const tag of tags) {
        if (tag.ResourceType !== 'auto-scaling-group') throw validation(`ResourceType must be auto-scaling-group, got ${tag.ResourceType}`);
        const group = this.#group(ctx, tag.ResourceId ?? '');
        const key = tag.Key ?? '';
        if (key.length < 1 || key.length > 128) throw validation(`Tag key must be 1-128 characters: ${key}`);
        if ((tag.Value ?? '').length > 256) throw validation(`Tag value for ${key} must be at most 256 characters`);
        if (key.toLowerCase().startsWith('aws:')) throw validation(`Tag keys starting with 'aws:' are reserved: ${key}`);
        const updates = byGroup.get(group) ?? new Map<string, AsgTagRecord>();
        updates.set(key, { value: tag.Value ?? '', propagate: tag.PropagateAtLaunch ?? false });
        byGroup.set(group, updates);
      }
      for (const [group, updates] of byGroup) {
        const count = new Set([...group.tags.keys(), ...updates.keys()]).size;
        if (count > MAX_TAGS_PER_RESOURCE) throw new AutoScalingServiceException({ name: 'LimitExceeded', $fault: 'client', message: `${group.name} would have ${count} tags; the limit is ${MAX_TAGS_PER_RESOURCE}`, $metadata: {} });
      }
      for (const [group, updates] of byGroup) {
        for (const [key, tag] of updates) group.tags.set(key, tag);
        ctx.changed({ service: 'autoscaling', action: 'CreateOrUpdateTags', resource: group.name, detail: [...updates.keys()].join(', ') });
      }
      return {};
    },
    DeleteTagsCommand: (input: DeleteTagsCommandInput, ctx: CallContext): ServiceOutput<Record<string, never>> => {
      this.#maybeThrottle();
      const tags = input.Tags ?? [];
      if (tags.length === 0) throw validation('DeleteTags needs at least one tag');
      const groups = tags.map((tag) => this.#group(ctx, tag.ResourceId ?? ''));
      tags.forEach((tag, index) => groups[index]?.tags.delete(tag.Key ?? ''));
      for (const group of new Set(groups)) ctx.changed({ service: 'autoscaling', action: 'DeleteTags', resource: group.name, detail: tags.filter((tag) => tag.ResourceId === group.name).map((tag) => tag.Key).join(', ') });
      return {};
    },
  };

  seedGroup(target: AccountRegion, name: string, seed: AsgSeed = {}): AsgRecord {
    const group: AsgRecord = {
      name,
      arn: `arn:aws:autoscaling:${target.region}:${target.accountId}:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/${name}`,
      tags: new Map(Object.entries(seed.tags ?? {}).map(([key, tag]) => [key, typeof tag === 'string' ? { value: tag, propagate: true } : tag])),
      availabilityZones: seed.availabilityZones ?? [`${target.region}a`],
      suspendedProcesses: seed.suspendedProcesses ?? [],
      instanceIds: [],
      metadataTags: seed.metadataTags ?? false,
      volumeTags: seed.volumeTags ?? {},
    };
    this.#groups.set(this.#key(target, name), group);
    for (let index = 0; index < (seed.instances ?? 0); index += 1) this.launchInstance(target, name);
    return group;
  }

  /**
   * A scale-out: the new instance gets the group's PropagateAtLaunch tags and aws:autoscaling:groupName;
   * its volume and ENI get none of them ("Tags are not propagated to Amazon EBS volumes").
   */
  launchInstance(target: AccountRegion, name: string): string {
    const group = this.#groupOf(target, name);
    if (!group) throw new Error(`no ASG ${name} in the sandbox`);
    const propagated = Object.fromEntries([...group.tags].filter(([, tag]) => tag.propagate).map(([key, tag]) => [key, tag.value]));
    const availabilityZone = group.availabilityZones[group.instanceIds.length % group.availabilityZones.length] ?? `${target.region}a`;
    const instance = this.#ec2.seedInstance(target, { tags: { ...propagated, 'aws:autoscaling:groupName': name }, metadataTags: group.metadataTags, availabilityZone, volumes: [{ ...group.volumeTags }], networkInterfaces: [{}] });
    group.instanceIds.push(instance.id);
    return instance.id;
  }

  deleteGroup(target: AccountRegion, name: string): void {
    const group = this.#groupOf(target, name);
    if (!group) return;
    for (const id of group.instanceIds) this.#ec2.terminate(target, id);
    this.#groups.delete(this.#key(target, name));
  }

  groupOf(target: AccountRegion, name: string): AsgRecord | undefined {
    return this.#groupOf(target, name);
  }

  /** The group's tags as `key → value` (tests assert on them) and which of them propagate. */
  tagsOf(target: AccountRegion, name: string): Record<string, string> | undefined {
    const group = this.#groupOf(target, name);
    return group ? Object.fromEntries([...group.tags].map(([key, tag]) => [key, tag.value])) : undefined;
  }

  #maybeThrottle(): void {
    if (this.#throttleEvery <= 0) return;
    this.#mutatingCalls += 1;
    if ((this.#mutatingCalls - 1) % this.#throttleEvery === 0) throw new AutoScalingServiceException({ name: 'Throttling', $fault: 'client', message: 'Rate exceeded', $metadata: {} });
  }

  #group(ctx: AccountRegion, name: string): AsgRecord {
    const group = this.#groupOf(ctx, name);
    if (!group) throw validation(`AutoScalingGroup name not found - AutoScalingGroup ${name} not found`);
    return group;
  }

  #groupOf(target: AccountRegion, name: string): AsgRecord | undefined {
    return this.#groups.get(this.#key(target, name));
  }

  #groupsIn(target: AccountRegion): AsgRecord[] {
    const prefix = `${target.accountId}/${target.region}/`;
    return [...this.#groups].filter(([key]) => key.startsWith(prefix)).map(([, group]) => group);
  }

  #key(target: AccountRegion, name: string): string {
    return `${target.accountId}/${target.region}/${name}`;
  }
}
