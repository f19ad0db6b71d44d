import { randomUUID } from 'node:crypto';
import {
  AutoScalingServiceException,
  type CompleteLifecycleActionCommandInput,
  type CompleteLifecycleActionCommandOutput,
  type CreateOrUpdateTagsCommandInput,
  type DeleteTagsCommandInput,
  type DescribeAutoScalingGroupsCommandInput,
  type DescribeAutoScalingGroupsCommandOutput,
  type DescribeInstanceRefreshesCommandInput,
  type DescribeInstanceRefreshesCommandOutput,
  type DescribeLifecycleHooksCommandInput,
  type DescribeLifecycleHooksCommandOutput,
  type DesiredConfiguration,
  type InstanceRefresh,
  InstanceRefreshInProgressFault,
  type InstanceRefreshStatus,
  InvalidNextToken,
  type LaunchTemplateSpecification,
  type LifecycleHook,
  LimitExceededFault,
  type MixedInstancesPolicy,
  type PutLifecycleHookCommandInput,
  type PutLifecycleHookCommandOutput,
  type RecordLifecycleActionHeartbeatCommandInput,
  type RecordLifecycleActionHeartbeatCommandOutput,
  type RefreshPreferences,
  type StartInstanceRefreshCommandInput,
  type StartInstanceRefreshCommandOutput,
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
  home: AccountRegion;
  tags: Map<string, AsgTagRecord>;
  availabilityZones: string[];
  suspendedProcesses: string[];
  instanceIds: string[];
  /** Launch template settings its instances get. */
  metadataTags: boolean;
  /** Tags the launch template gives new volumes (the only way volumes get tags at launch). */
  volumeTags: Record<string, string>;
  /** What it launches from: a launch template, a mixed instances policy (with one), or a launch configuration. */
  launchTemplate?: LaunchTemplateSpecification;
  mixedInstancesPolicy?: MixedInstancesPolicy;
  launchConfigurationName?: string;
  defaultInstanceWarmup?: number;
  healthCheckGracePeriod: number;
  /** The launch template version each instance was launched from: what SkipMatching compares. */
  launchedFrom: Map<string, { templateId: string; version: number }>;
  protectedInstances: Set<string>;
  refreshes: RefreshRecord[];
  /** Lifecycle hooks by name (PutLifecycleHook). */
  lifecycleHooks: Map<string, LifecycleHook>;
  /** Instances held in Terminating:Wait, one action per (instance, termination hook), by `<instance>/<hook>`, until each completes or times out. */
  lifecycleActions: Map<string, LifecycleActionRecord>;
}

export interface LifecycleActionRecord {
  instanceId: string;
  hookName: string;
  token: string;
  /** When the hook times out and DefaultResult applies: HeartbeatTimeout after the wait began or the last heartbeat. */
  deadline: number;
  /** GlobalTimeout after the wait began: no heartbeat extends past it. */
  globalDeadline: number;
  /** The refresh that is replacing the instance, if one is. */
  refreshId?: string;
}

/** How a lifecycle action ended, for tests and the timeline. */
export interface LifecycleActionOutcome {
  groupName: string;
  instanceId: string;
  hookName: string;
  result: 'CONTINUE' | 'ABANDON';
  by: 'CompleteLifecycleAction' | 'HeartbeatTimeout';
  at: Date;
}

/**
 * The EventBridge event Auto Scaling sends when a termination hook puts an instance into Terminating:Wait
 * (Amazon EC2 Auto Scaling User Guide, "Amazon EventBridge events", EC2 Instance-terminate Lifecycle Action):
 * test/fixtures/events/autoscaling-instance-terminate-lifecycle-action.json is the documentation's sample.
 */
export interface LifecycleActionEvent {
  version: '0';
  id: string;
  'detail-type': 'EC2 Instance-terminate Lifecycle Action';
  source: 'aws.autoscaling';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    LifecycleActionToken: string;
    AutoScalingGroupName: string;
    LifecycleHookName: string;
    EC2InstanceId: string;
    LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING';
    NotificationMetadata?: string;
    Origin: 'AutoScalingGroup';
    Destination: 'EC2';
  };
}

export interface AsgSeed {
  tags?: Record<string, string | AsgTagRecord>;
  availabilityZones?: string[];
  suspendedProcesses?: string[];
  instances?: number;
  metadataTags?: boolean;
  volumeTags?: Record<string, string>;
  launchTemplate?: LaunchTemplateSpecification;
  mixedInstancesPolicy?: MixedInstancesPolicy;
  launchConfigurationName?: string;
  defaultInstanceWarmup?: number;
  healthCheckGracePeriod?: number;
  /** How many of the seeded instances are protected from scale in (the first ones). */
  protectedInstances?: number;
}

/** A launch template resolved to a version (EC2's part of the sandbox answers). */
export interface ResolvedLaunchTemplate {
  id: string;
  name: string;
  versionNumber: number;
  imageId?: string;
}

export interface LaunchTemplateResolver {
  resolve(target: AccountRegion, spec: LaunchTemplateSpecification): ResolvedLaunchTemplate | undefined;
}

interface RefreshRecord {
  refresh: InstanceRefresh;
  /** When it started doing something (Pending before), and when it ends. */
  inProgressAt: number;
  endsAt: number;
  /** The configuration its instances end on: the desired one, else the group's. */
  target: LaunchTemplateSpecification | undefined;
  targetVersion: number | undefined;
  /** Instances to replace when it started. */
  toReplace: string[];
  failure?: PlannedRefreshFailure;
  settled: boolean;
  /** Instances of this refresh still in Terminating:Wait: the refresh is InProgress until they are gone. */
  awaiting: Set<string>;
  /** Its replacements have begun (at endsAt); `waited`: some of them were held by a termination hook. */
  started: boolean;
  waited: boolean;
}

export interface PlannedRefreshFailure {
  /** The StatusReason Auto Scaling reports. */
  reason: string;
  status?: Extract<InstanceRefreshStatus, 'Failed' | 'Cancelled' | 'RollbackSuccessful' | 'RollbackFailed'>;
  /** How far into the refresh it ends, in ms of virtual time (default: half way). Half the instances are replaced by then. */
  afterMs?: number;
}

// Instance refresh on virtual time: a short Pending, then batches of replacements, each a launch plus the warmup.
const REFRESH_PENDING_MS = 60_000;
const INSTANCE_LAUNCH_MS = 3 * 60_000;
const ACTIVE_REFRESH = new Set<string>(['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking']);

// Amazon EC2 Auto Scaling: CreateOrUpdateTags takes at most 25 tags a call (eksops's limit, issue 4; the
// sandbox enforces it so a regression shows); DescribeAutoScalingGroups MaxRecords at most 100.
const MAX_TAGS_PER_CALL = 25;
const MAX_RECORDS = 100;
// Lifecycle hooks (Amazon EC2 Auto Scaling API Reference, PutLifecycleHook and LifecycleHook): HeartbeatTimeout
// 30 to 7200 s, default 3600; DefaultResult CONTINUE or ABANDON, default ABANDON; GlobalTimeout the smaller of
// 48 hours and 100 times HeartbeatTimeout; at most 50 hooks per group (Auto Scaling quotas).
const HEARTBEAT_RANGE = { min: 30, max: 7200, default: 3600 };
const GLOBAL_TIMEOUT_MAX_S = 172_800;
const MAX_HOOKS_PER_GROUP = 50;
const HOOK_NAME = /^[A-Za-z0-9\-_/]{1,255}$/;
const TRANSITIONS = new Set(['autoscaling:EC2_INSTANCE_LAUNCHING', 'autoscaling:EC2_INSTANCE_TERMINATING']);
const TERMINATING = 'autoscaling:EC2_INSTANCE_TERMINATING';

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
  readonly #plannedRefreshFailures: { matches: (groupName: string) => boolean; failure: PlannedRefreshFailure }[] = [];
  #launchTemplates: LaunchTemplateResolver | undefined;
  #throttleEvery = 0;
  #mutatingCalls = 0;
  #now: () => number = () => Date.now();
  readonly #lifecycleListeners: ((event: LifecycleActionEvent) => unknown)[] = [];
  readonly #pendingDeliveries = new Set<Promise<unknown>>();
  /** Every lifecycle action that ended, oldest first. */
  readonly lifecycleOutcomes: LifecycleActionOutcome[] = [];

  constructor(ec2: SandboxEc2) {
    this.#ec2 = ec2;
  }

  /** Launch templates come from EC2's part of the sandbox (instances get their AMI, refreshes resolve versions). */
  useLaunchTemplates(resolver: LaunchTemplateResolver, clock: { now(): Date }): void {
    this.#launchTemplates = resolver;
    this.#now = () => clock.now().getTime();
  }

  /** The next instance refresh of a group matching `matches` ends short of Successful (e.g. instances fail health checks). */
  planRefreshFailure(matches: (groupName: string) => boolean, failure: PlannedRefreshFailure): void {
    this.#plannedRefreshFailures.push({ matches, failure });
  }

  /**
   * Where "EC2 Instance-terminate Lifecycle Action" events go (the sandbox's event bus). A listener runs in the
   * background, as EventBridge delivers after the API call that caused the wait has answered: `lifecycleEventsDelivered`
   * waits for every delivery started so far. One destination: a test that sets its own replaces the sandbox's bus.
   */
  onLifecycleAction(listener: (event: LifecycleActionEvent) => unknown): void {
    this.#lifecycleListeners.splice(0, this.#lifecycleListeners.length, listener);
  }

  async lifecycleEventsDelivered(): Promise<void> {
    while (this.#pendingDeliveries.size > 0) await Promise.allSettled([...this.#pendingDeliveries]);
  }

  /** The first mutating call and every `every`-th after it fail with Throttling before changing anything (0: never). */
  throttleMutating(every: number): void {
    this.#throttleEvery = every;
    this.#mutatingCalls = 0;
  }

  readonly commands = {
    DescribeAutoScalingGroupsCommand: (input: DescribeAutoScalingGroupsCommandInput, ctx: CallContext): ServiceOutput<DescribeAutoScalingGroupsCommandOutput> => {
      this.#settleRefreshes();
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
          HealthCheckGracePeriod: group.healthCheckGracePeriod,
          ...(group.defaultInstanceWarmup !== undefined ? { DefaultInstanceWarmup: group.defaultInstanceWarmup } : {}),
          ...(group.launchTemplate ? { LaunchTemplate: structuredClone(group.launchTemplate) } : {}),
          ...(group.mixedInstancesPolicy ? { MixedInstancesPolicy: structuredClone(group.mixedInstancesPolicy) } : {}),
          ...(group.launchConfigurationName ? { LaunchConfigurationName: group.launchConfigurationName } : {}),
          CreatedTime: new Date(0),
          AvailabilityZones: group.availabilityZones,
          SuspendedProcesses: group.suspendedProcesses.map((ProcessName) => ({ ProcessName, SuspensionReason: 'User suspended' })),
          Instances: group.instanceIds.map((InstanceId) => {
            const launched = group.launchedFrom.get(InstanceId);
            return {
              InstanceId,
              AvailabilityZone: this.#ec2.instance(ctx, InstanceId)?.availabilityZone ?? '',
              LifecycleState: [...group.lifecycleActions.values()].some((action) => action.instanceId === InstanceId) ? 'Terminating:Wait' : 'InService',
              HealthStatus: 'Healthy',
              ProtectedFromScaleIn: group.protectedInstances.has(InstanceId),
              ...(launched ? { LaunchTemplate: { LaunchTemplateId: launched.templateId, Version: String(launched.version) } } : {}),
            };
          }),
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
    StartInstanceRefreshCommand: (input: StartInstanceRefreshCommandInput, ctx: CallContext): ServiceOutput<StartInstanceRefreshCommandOutput> => {
      this.#settleRefreshes();
      const group = this.#group(ctx, input.AutoScalingGroupName ?? '');
      if (group.refreshes.some((record) => ACTIVE_REFRESH.has(record.refresh.Status ?? ''))) {
        throw new InstanceRefreshInProgressFault({ message: 'An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.', $metadata: {} });
      }
      if (input.Strategy && input.Strategy !== 'Rolling' && input.Strategy !== 'ReplaceRootVolume') throw validation(`Strategy ${input.Strategy} is not valid`);
      const preferences = input.Preferences ?? {};
      const minHealthy = preferences.MinHealthyPercentage ?? 90;
      if (minHealthy < 0 || minHealthy > 100) throw validation('MinHealthyPercentage must be between 0 and 100');
      if ((preferences.InstanceWarmup ?? 0) < 0) throw validation('InstanceWarmup must be at least 0');
      const target = this.#desiredTarget(group, input.DesiredConfiguration);
      const resolved = target ? this.#launchTemplates?.resolve(ctx, target) : undefined;
      if (target && !resolved) throw validation(`The launch template ${target.LaunchTemplateId ?? target.LaunchTemplateName ?? ''} version ${target.Version ?? '$Default'} does not exist`);
      // SkipMatching leaves instances already launched from the desired template version (Auto Scaling user guide).
      const toReplace = group.instanceIds.filter((id) => {
        if (group.protectedInstances.has(id)) return false;
        if (!preferences.SkipMatching || !resolved) return true;
        const launched = group.launchedFrom.get(id);
        return launched?.templateId !== resolved.id || launched.version !== resolved.versionNumber;
      });
      const now = this.#now();
      const warmupMs = (preferences.InstanceWarmup ?? group.defaultInstanceWarmup ?? group.healthCheckGracePeriod) * 1000;
      const perBatch = Math.max(1, Math.floor((group.instanceIds.length * (100 - minHealthy)) / 100));
      const durationMs = REFRESH_PENDING_MS + Math.ceil(toReplace.length / perBatch) * (INSTANCE_LAUNCH_MS + warmupMs);
      const failureIndex = this.#plannedRefreshFailures.findIndex((planned) => planned.matches(group.name));
      const failure = failureIndex >= 0 ? this.#plannedRefreshFailures.splice(failureIndex, 1)[0]?.failure : undefined;
      const id = randomUUID();
      group.refreshes.unshift({
        refresh: {
          InstanceRefreshId: id,
          AutoScalingGroupName: group.name,
          Status: 'Pending',
          StartTime: new Date(now),
          PercentageComplete: 0,
          InstancesToUpdate: toReplace.length,
          Preferences: { ...preferences, MinHealthyPercentage: minHealthy } satisfies RefreshPreferences,
          ...(input.DesiredConfiguration ? { DesiredConfiguration: structuredClone(input.DesiredConfiguration) } : {}),
          Strategy: input.Strategy ?? 'Rolling',
        },
        inProgressAt: now + REFRESH_PENDING_MS,
        endsAt: now + (failure?.afterMs ?? (failure ? Math.round(durationMs / 2) : durationMs)),
        target: input.DesiredConfiguration ? target : undefined,
        targetVersion: resolved?.versionNumber,
        toReplace,
        ...(failure ? { failure } : {}),
        settled: false,
        awaiting: new Set(),
        started: false,
        waited: false,
      });
      ctx.changed({ service: 'autoscaling', action: 'StartInstanceRefresh', resource: group.name, detail: `${id}: ${toReplace.length} instance(s)${resolved ? ` → ${resolved.name} version ${resolved.versionNumber}` : ''}` });
      return { InstanceRefreshId: id };
    },
    PutLifecycleHookCommand: (input: PutLifecycleHookCommandInput, ctx: CallContext): ServiceOutput<PutLifecycleHookCommandOutput> => {
      this.#maybeThrottle();
      const group = this.#group(ctx, input.AutoScalingGroupName ?? '');
      const name = input.LifecycleHookName ?? '';
      if (!HOOK_NAME.test(name)) throw validation(`LifecycleHookName must be 1-255 characters of [A-Za-z0-9-_/]: ${name}`);
      const existing = group.lifecycleHooks.get(name);
      if (!existing && !input.LifecycleTransition) throw validation('LifecycleTransition is required when creating a lifecycle hook');
      if (input.LifecycleTransition && !TRANSITIONS.has(input.LifecycleTransition)) throw validation(`LifecycleTransition ${input.LifecycleTransition} is not valid`);
      if (input.HeartbeatTimeout !== undefined && (input.HeartbeatTimeout < HEARTBEAT_RANGE.min || input.HeartbeatTimeout > HEARTBEAT_RANGE.max)) throw validation(`HeartbeatTimeout must be between ${HEARTBEAT_RANGE.min} and ${HEARTBEAT_RANGE.max} seconds`);
      if (input.DefaultResult !== undefined && input.DefaultResult !== 'CONTINUE' && input.DefaultResult !== 'ABANDON') throw validation(`DefaultResult must be CONTINUE or ABANDON`);
      if (!existing && group.lifecycleHooks.size >= MAX_HOOKS_PER_GROUP) throw new LimitExceededFault({ message: `${group.name} already has ${MAX_HOOKS_PER_GROUP} lifecycle hooks`, $metadata: {} });
      // An update changes only what it names (PutLifecycleHook: "creates or updates").
      const heartbeat = input.HeartbeatTimeout ?? existing?.HeartbeatTimeout ?? HEARTBEAT_RANGE.default;
      const hook: LifecycleHook = {
        LifecycleHookName: name,
        AutoScalingGroupName: group.name,
        LifecycleTransition: input.LifecycleTransition ?? existing?.LifecycleTransition ?? '',
        HeartbeatTimeout: heartbeat,
        GlobalTimeout: Math.min(GLOBAL_TIMEOUT_MAX_S, 100 * heartbeat),
        DefaultResult: input.DefaultResult ?? existing?.DefaultResult ?? 'ABANDON',
        ...((input.NotificationMetadata ?? existing?.NotificationMetadata) !== undefined ? { NotificationMetadata: input.NotificationMetadata ?? existing?.NotificationMetadata } : {}),
      };
      group.lifecycleHooks.set(name, hook);
      ctx.changed({ service: 'autoscaling', action: 'PutLifecycleHook', resource: group.name, detail: `${name}: ${hook.LifecycleTransition}, heartbeat ${heartbeat} s, default ${hook.DefaultResult}` });
      return {};
    },
    DescribeLifecycleHooksCommand: (input: DescribeLifecycleHooksCommandInput, ctx: CallContext): ServiceOutput<DescribeLifecycleHooksCommandOutput> => {
      const group = this.#group(ctx, input.AutoScalingGroupName ?? '');
      const names = input.LifecycleHookNames ?? [];
      return { LifecycleHooks: [...group.lifecycleHooks.values()].filter((hook) => names.length === 0 || names.includes(hook.LifecycleHookName ?? '')).map((hook) => structuredClone(hook)) };
    },
    CompleteLifecycleActionCommand: (input: CompleteLifecycleActionCommandInput, ctx: CallContext): ServiceOutput<CompleteLifecycleActionCommandOutput> => {
      this.#settleRefreshes();
      const group = this.#group(ctx, input.AutoScalingGroupName ?? '');
      if (input.LifecycleActionResult !== 'CONTINUE' && input.LifecycleActionResult !== 'ABANDON') throw validation('LifecycleActionResult must be CONTINUE or ABANDON');
      const action = this.#activeAction(group, input);
      this.#endAction(group, action, input.LifecycleActionResult, 'CompleteLifecycleAction');
      ctx.changed({ service: 'autoscaling', action: 'CompleteLifecycleAction', resource: group.name, detail: `${action.instanceId} ${input.LifecycleActionResult} (${action.hookName})` });
      this.#settleRefreshes();
      return {};
    },
    RecordLifecycleActionHeartbeatCommand: (input: RecordLifecycleActionHeartbeatCommandInput, ctx: CallContext): ServiceOutput<RecordLifecycleActionHeartbeatCommandOutput> => {
      this.#settleRefreshes();
      const group = this.#group(ctx, input.AutoScalingGroupName ?? '');
      const action = this.#activeAction(group, input);
      const heartbeat = group.lifecycleHooks.get(action.hookName)?.HeartbeatTimeout ?? HEARTBEAT_RANGE.default;
      action.deadline = Math.min(action.globalDeadline, this.#now() + heartbeat * 1000);
      ctx.changed({ service: 'autoscaling', action: 'RecordLifecycleActionHeartbeat', resource: group.name, detail: `${action.instanceId} (${action.hookName})` });
      return {};
    },
    DescribeInstanceRefreshesCommand: (input: DescribeInstanceRefreshesCommandInput, ctx: CallContext): ServiceOutput<DescribeInstanceRefreshesCommandOutput> => {
      this.#settleRefreshes();
      const group = this.#group(ctx, input.AutoScalingGroupName ?? '');
      const max = input.MaxRecords ?? 50;
      if (max < 1 || max > MAX_RECORDS) throw validation(`MaxRecords must be between 1 and ${MAX_RECORDS}`);
      // Newest first, as Auto Scaling lists them.
      const refreshes = group.refreshes.filter((record) => !input.InstanceRefreshIds?.length || input.InstanceRefreshIds.includes(record.refresh.InstanceRefreshId ?? ''));
      const start = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64url').toString()) : 0;
      if (!Number.isInteger(start) || start < 0) throw new InvalidNextToken({ message: 'The token is invalid', $metadata: {} });
      return {
        InstanceRefreshes: refreshes.slice(start, start + max).map((record) => structuredClone(record.refresh)),
        ...(start + max < refreshes.length ? { NextToken: Buffer.from(String(start + max)).toString('base64url') } : {}),
      };
    },
  };

  seedGroup(target: AccountRegion, name: string, seed: AsgSeed = {}): AsgRecord {
    const group: AsgRecord = {
      name,
      arn: `arn:aws:autoscaling:${target.region}:${target.accountId}:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/${name}`,
      home: { accountId: target.accountId, region: target.region },
      tags: new Map(Object.entries(seed.tags ?? {}).map(([key, tag]) => [key, typeof tag === 'string' ? { value: tag, propagate: true } : tag])),
      availabilityZones: seed.availabilityZones ?? [`${target.region}a`],
      suspendedProcesses: seed.suspendedProcesses ?? [],
      instanceIds: [],
      metadataTags: seed.metadataTags ?? false,
      volumeTags: seed.volumeTags ?? {},
      ...(seed.launchTemplate ? { launchTemplate: seed.launchTemplate } : {}),
      ...(seed.mixedInstancesPolicy ? { mixedInstancesPolicy: seed.mixedInstancesPolicy } : {}),
      ...(seed.launchConfigurationName ? { launchConfigurationName: seed.launchConfigurationName } : {}),
      ...(seed.defaultInstanceWarmup !== undefined ? { defaultInstanceWarmup: seed.defaultInstanceWarmup } : {}),
      healthCheckGracePeriod: seed.healthCheckGracePeriod ?? 0,
      launchedFrom: new Map(),
      protectedInstances: new Set(),
      refreshes: [],
      lifecycleHooks: new Map(),
      lifecycleActions: new Map(),
    };
    this.#groups.set(this.#key(target, name), group);
    for (let index = 0; index < (seed.instances ?? 0); index += 1) {
      const id = this.launchInstance(target, name);
      if (index < (seed.protectedInstances ?? 0)) group.protectedInstances.add(id);
    }
    return group;
  }

  /**
   * A scale-out: the new instance gets the group's PropagateAtLaunch tags and aws:autoscaling:groupName;
   * its volume and ENI get none of them ("Tags are not propagated to Amazon EBS volumes").
   */
  launchInstance(target: AccountRegion, name: string): string {
    const group = this.#groupOf(target, name);
    if (!group) throw new Error(`no ASG ${name} in the sandbox`);
    return this.#launch(target, group, this.#launchSpec(group));
  }

  /** A launch from `spec` (a launch template version): the instance runs the AMI of that version. */
  #launch(target: AccountRegion, group: AsgRecord, spec: LaunchTemplateSpecification | undefined): string {
    const propagated = Object.fromEntries([...group.tags].filter(([, tag]) => tag.propagate).map(([key, tag]) => [key, tag.value]));
    const availabilityZone = group.availabilityZones[group.instanceIds.length % group.availabilityZones.length] ?? `${target.region}a`;
    const template = spec ? this.#launchTemplates?.resolve(target, spec) : undefined;
    const instance = this.#ec2.seedInstance(target, {
      tags: { ...propagated, 'aws:autoscaling:groupName': group.name },
      metadataTags: group.metadataTags,
      availabilityZone,
      volumes: [{ ...group.volumeTags }],
      networkInterfaces: [{}],
      ...(template?.imageId ? { imageId: template.imageId } : {}),
    });
    group.instanceIds.push(instance.id);
    if (template) group.launchedFrom.set(instance.id, { templateId: template.id, version: template.versionNumber });
    return instance.id;
  }

  #launchSpec(group: AsgRecord): LaunchTemplateSpecification | undefined {
    return group.mixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification ?? group.launchTemplate;
  }

  /** The launch template a refresh moves the group to: the desired configuration's, else the group's own. */
  #desiredTarget(group: AsgRecord, desired: DesiredConfiguration | undefined): LaunchTemplateSpecification | undefined {
    if (!desired) return this.#launchSpec(group);
    if (desired.LaunchTemplate && desired.MixedInstancesPolicy) throw validation('DesiredConfiguration takes a LaunchTemplate or a MixedInstancesPolicy, not both');
    const spec = desired.LaunchTemplate ?? desired.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
    if (!spec) throw validation('DesiredConfiguration must specify a LaunchTemplate or a MixedInstancesPolicy with a launch template');
    if (spec.LaunchTemplateId && spec.LaunchTemplateName) throw validation('Specify either LaunchTemplateId or LaunchTemplateName, not both');
    return spec;
  }

  /**
   * Refreshes whose time has come end: Successful replaces the instances it had to (terminated, relaunched from
   * the target version) and gives the group its desired configuration; a planned failure replaces half of them,
   * leaves the group's configuration as it was, and reports its reason. In a group with a termination lifecycle
   * hook, each instance to terminate first waits in Terminating:Wait (an event tells the hook's owner), and the
   * refresh stays InProgress until every such wait has ended ("Instance refresh" and "lifecycle hooks", Auto
   * Scaling user guide: the refresh waits for lifecycle actions to complete).
   */
  #settleRefreshes(): void {
    const now = this.#now();
    for (const group of this.#groups.values()) {
      this.#expireActions(group, now);
      for (const record of group.refreshes) {
        if (record.settled) continue;
        if (now < record.inProgressAt) continue;
        record.refresh.Status = 'InProgress';
        if (now < record.endsAt) continue;
        if (!record.started) this.#startReplacements(group, record, now);
        if (record.awaiting.size > 0) continue;
        this.#finishRefresh(group, record, now);
      }
    }
  }

  /** The replacements of a refresh at its end: each terminated at once, or held by a termination hook. */
  #startReplacements(group: AsgRecord, record: RefreshRecord, now: number): void {
    record.started = true;
    const replace = record.failure ? record.toReplace.slice(0, Math.floor(record.toReplace.length / 2)) : record.toReplace;
    const spec = record.target && record.targetVersion !== undefined ? { ...record.target, Version: String(record.targetVersion) } : this.#launchSpec(group);
    const hooks = [...group.lifecycleHooks.values()].filter((candidate) => candidate.LifecycleTransition === TERMINATING);
    for (const id of replace) {
      if (!group.instanceIds.includes(id)) continue;
      if (hooks.length === 0) this.#terminateInstance(group, id);
      // Every termination hook holds the instance (one action, one event each); the sandbox launches its replacement
      // at once rather than modelling when Auto Scaling would.
      for (const hook of hooks) this.#beginTerminateWait(group, id, hook, now, record);
      this.#launch(group.home, group, spec);
    }
    Object.assign(record.refresh, { InstancesToUpdate: record.toReplace.length - replace.length, PercentageComplete: record.toReplace.length === 0 ? 100 : Math.round((100 * replace.length) / record.toReplace.length) });
    record.waited = record.awaiting.size > 0;
  }

  #finishRefresh(group: AsgRecord, record: RefreshRecord, now: number): void {
    record.settled = true;
    // Without waits it ends when planned; with them, when the last one ended (observed now).
    Object.assign(record.refresh, { EndTime: new Date(record.waited ? now : record.endsAt) });
    if (record.failure) {
      Object.assign(record.refresh, { Status: record.failure.status ?? 'Failed', StatusReason: record.failure.reason });
      return;
    }
    record.refresh.Status = 'Successful';
    const desired = record.refresh.DesiredConfiguration;
    if (desired?.LaunchTemplate) {
      group.launchTemplate = structuredClone(desired.LaunchTemplate);
      delete group.mixedInstancesPolicy;
      delete group.launchConfigurationName;
    } else if (desired?.MixedInstancesPolicy) {
      group.mixedInstancesPolicy = structuredClone(desired.MixedInstancesPolicy);
      delete group.launchTemplate;
      delete group.launchConfigurationName;
    }
  }

  #terminateInstance(group: AsgRecord, id: string): void {
    this.#ec2.terminate(group.home, id);
    group.instanceIds = group.instanceIds.filter((candidate) => candidate !== id);
    group.launchedFrom.delete(id);
  }

  /** Terminating:Wait, and the event that tells the hook's owner (delivered in the background). */
  #beginTerminateWait(group: AsgRecord, instanceId: string, hook: LifecycleHook, now: number, record?: RefreshRecord): void {
    const heartbeat = hook.HeartbeatTimeout ?? HEARTBEAT_RANGE.default;
    const action: LifecycleActionRecord = {
      instanceId,
      hookName: hook.LifecycleHookName ?? '',
      token: randomUUID(),
      deadline: now + heartbeat * 1000,
      globalDeadline: now + (hook.GlobalTimeout ?? Math.min(GLOBAL_TIMEOUT_MAX_S, 100 * heartbeat)) * 1000,
      ...(record?.refresh.InstanceRefreshId ? { refreshId: record.refresh.InstanceRefreshId } : {}),
    };
    group.lifecycleActions.set(`${instanceId}/${action.hookName}`, action);
    record?.awaiting.add(instanceId);
    const event: LifecycleActionEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'EC2 Instance-terminate Lifecycle Action',
      source: 'aws.autoscaling',
      account: group.home.accountId,
      time: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: group.home.region,
      resources: [group.arn],
      detail: {
        LifecycleActionToken: action.token,
        AutoScalingGroupName: group.name,
        LifecycleHookName: action.hookName,
        EC2InstanceId: instanceId,
        LifecycleTransition: TERMINATING,
        ...(hook.NotificationMetadata !== undefined ? { NotificationMetadata: hook.NotificationMetadata } : {}),
        Origin: 'AutoScalingGroup',
        Destination: 'EC2',
      },
    };
    for (const listener of this.#lifecycleListeners) {
      // After this call has answered, as EventBridge would: never inside the API call that caused the wait.
      const delivery: Promise<unknown> = Promise.resolve()
        .then(() => listener(structuredClone(event)))
        .catch(() => undefined)
        .finally(() => this.#pendingDeliveries.delete(delivery));
      this.#pendingDeliveries.add(delivery);
    }
  }

  #activeAction(group: AsgRecord, input: { LifecycleHookName?: string | undefined; LifecycleActionToken?: string | undefined; InstanceId?: string | undefined }): LifecycleActionRecord {
    if (!input.LifecycleActionToken && !input.InstanceId) throw validation('Either LifecycleActionToken or InstanceId must be specified');
    const action = input.InstanceId ? group.lifecycleActions.get(`${input.InstanceId}/${input.LifecycleHookName ?? ''}`) : [...group.lifecycleActions.values()].find((candidate) => candidate.token === input.LifecycleActionToken);
    const matches = action && action.hookName === input.LifecycleHookName && (!input.LifecycleActionToken || action.token === input.LifecycleActionToken);
    if (!action || !matches) throw validation(input.InstanceId ? `No active Lifecycle Action found with instance ID ${input.InstanceId}` : `No active Lifecycle Action found with token ${input.LifecycleActionToken ?? ''}`);
    return action;
  }

  /**
   * One hook's action ends. The instance is terminated once every termination hook's action has ended, whatever
   * the results; ABANDON ends the instance's other actions at once (Auto Scaling user guide, "Complete a lifecycle
   * action": for a terminating instance both results terminate it, ABANDON stops the remaining lifecycle actions).
   */
  #endAction(group: AsgRecord, action: LifecycleActionRecord, result: 'CONTINUE' | 'ABANDON', by: LifecycleActionOutcome['by']): void {
    group.lifecycleActions.delete(`${action.instanceId}/${action.hookName}`);
    this.lifecycleOutcomes.push({ groupName: group.name, instanceId: action.instanceId, hookName: action.hookName, result, by, at: new Date(this.#now()) });
    const others = [...group.lifecycleActions.entries()].filter(([, candidate]) => candidate.instanceId === action.instanceId);
    if (result === 'ABANDON') for (const [key] of others) group.lifecycleActions.delete(key);
    else if (others.length > 0) return;
    this.#terminateInstance(group, action.instanceId);
    for (const record of group.refreshes) record.awaiting.delete(action.instanceId);
  }

  #expireActions(group: AsgRecord, now: number): void {
    for (const action of [...group.lifecycleActions.values()]) {
      if (now < action.deadline || !group.lifecycleActions.has(`${action.instanceId}/${action.hookName}`)) continue;
      const result = group.lifecycleHooks.get(action.hookName)?.DefaultResult === 'CONTINUE' ? 'CONTINUE' : 'ABANDON';
      this.#endAction(group, action, result, 'HeartbeatTimeout');
    }
  }

  deleteGroup(target: AccountRegion, name: string): void {
    const group = this.#groupOf(target, name);
    if (!group) return;
    for (const id of group.instanceIds) this.#ec2.terminate(target, id);
    this.#groups.delete(this.#key(target, name));
  }

  groupOf(target: AccountRegion, name: string): AsgRecord | undefined {
    this.#settleRefreshes();
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
