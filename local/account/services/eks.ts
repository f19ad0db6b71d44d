import {
  BadRequestException,
  type Cluster,
  type CreateClusterCommandInput,
  type CreateClusterCommandOutput,
  type DescribeClusterCommandInput,
  type DescribeClusterCommandOutput,
  InvalidParameterException,
  type ListClustersCommandInput,
  type ListClustersCommandOutput,
  type ListTagsForResourceCommandInput,
  type ListTagsForResourceCommandOutput,
  NotFoundException,
  ResourceInUseException,
  ResourceNotFoundException,
  type DescribeUpdateCommandInput,
  type DescribeUpdateCommandOutput,
  type ListUpdatesCommandInput,
  type ListUpdatesCommandOutput,
  type LogSetup,
  type LogType,
  type TagResourceCommandInput,
  type UntagResourceCommandInput,
  type UpdateClusterConfigCommandInput,
  type UpdateClusterConfigCommandOutput,
  type UpdateClusterVersionCommandInput,
  type UpdateClusterVersionCommandOutput,
  type DescribeClusterVersionsCommandInput,
  type DescribeClusterVersionsCommandOutput,
  type ClusterIssue,
} from '@aws-sdk/client-eks';
import { KUBERNETES_VERSIONS, nextMinor } from './eks-catalog.ts';
import type { Clock } from '../../../shared/time/clock.ts';
import type { AccountRegion, CallContext, SandboxService, ServiceOutput } from '../account.ts';
import { EksUpdates, type UpdateScope } from './eks-updates.ts';
import { validateTags } from './tag-rules.ts';

interface ClusterRecord {
  cluster: Cluster;
  /** Virtual time at which a CREATING cluster becomes ACTIVE. */
  activeAt: number;
}

/** EKS control planes take 10 to 15 minutes to create; the sandbox takes 12 on the virtual clock. */
const CLUSTER_CREATION_MS = 12 * 60_000;
const DEFAULT_VERSION = '1.33';
const LOG_TYPES: LogType[] = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
/** A logging change takes a few minutes; the sandbox takes 3 on the virtual clock. */
const LOGGING_UPDATE_MS = 3 * 60_000;

/**
 * How long version updates take on the virtual clock. EKS: control-plane updates "should finish within a few
 * minutes" in the API reference, 10 to 45 minutes in practice; the sandbox default sits in that range.
 */
export interface EksUpdateDurations {
  controlPlaneMs: number;
}

/**
 * A rule another EKS part enforces before UpdateClusterVersion (node groups at the cluster's version,
 * blocking upgrade insights): throws the exception EKS answers with, or returns.
 */
export type ClusterVersionGate = (target: AccountRegion, clusterName: string, version: string, force: boolean) => void;

/**
 * Amazon EKS in the in-memory account. Capabilities add node groups, add-ons and updates; this part holds
 * clusters and their tags with the rules of the EKS API reference.
 */
export class SandboxEks implements SandboxService {
  readonly clientName = 'EKSClient';
  readonly label = 'eks';
  readonly #clusters = new Map<string, ClusterRecord>();
  readonly #clock: Clock;
  /** Every update of every cluster, node group and add-on: shared with the other EKS parts of the sandbox. */
  readonly updates: EksUpdates;
  readonly durations: EksUpdateDurations = { controlPlaneMs: 25 * 60_000 };
  readonly #versionGates: ClusterVersionGate[] = [];

  constructor(clock: Clock) {
    this.#clock = clock;
    this.updates = new EksUpdates(clock);
  }

  readonly commands = {
    CreateClusterCommand: (input: CreateClusterCommandInput, ctx: CallContext): ServiceOutput<CreateClusterCommandOutput> => {
      if (!input.name) throw new InvalidParameterException({ message: 'name is required', $metadata: {} });
      if (this.#clusters.has(this.#key(ctx, input.name))) {
        throw new ResourceInUseException({ message: `Cluster already exists with name: ${input.name}`, clusterName: input.name, $metadata: {} });
      }
      validateTags(input.tags ?? {}, {}, (message) => new InvalidParameterException({ message, $metadata: {} }));
      const cluster = this.#put(ctx, input.name, { version: input.version ?? DEFAULT_VERSION, tags: input.tags ?? {}, roleArn: input.roleArn }, CLUSTER_CREATION_MS);
      ctx.changed({ service: 'eks', action: 'CreateCluster', resource: `cluster/${input.name}`, detail: `version ${cluster.version}` });
      return { cluster: this.#view(ctx, input.name) };
    },
    DescribeClusterCommand: (input: DescribeClusterCommandInput, ctx: CallContext): ServiceOutput<DescribeClusterCommandOutput> => ({
      cluster: this.#view(ctx, input.name ?? ''),
    }),
    ListClustersCommand: (input: ListClustersCommandInput, ctx: CallContext): ServiceOutput<ListClustersCommandOutput> => {
      // EKS ListClusters: maxResults 1-100, default 100.
      const max = input.maxResults ?? 100;
      if (max < 1 || max > 100) throw new InvalidParameterException({ message: 'maxResults must be between 1 and 100', $metadata: {} });
      const names = [...this.#clusters.keys()].filter((key) => key.startsWith(`${ctx.accountId}/${ctx.region}/`)).map((key) => key.split('/')[2] ?? '').sort();
      const start = input.nextToken ? Number(Buffer.from(input.nextToken, 'base64url').toString()) : 0;
      const page = names.slice(start, start + max);
      const next = start + max < names.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
      return { clusters: page, ...(next ? { nextToken: next } : {}) };
    },
    TagResourceCommand: (input: TagResourceCommandInput, ctx: CallContext): ServiceOutput<Record<string, never>> => {
      const record = this.#byArn(ctx, input.resourceArn);
      const existing = record.cluster.tags ?? {};
      validateTags(input.tags ?? {}, existing, (message) => new BadRequestException({ message, $metadata: {} }));
      record.cluster.tags = { ...existing, ...input.tags };
      ctx.changed({ service: 'eks', action: 'TagResource', resource: `cluster/${record.cluster.name}`, detail: Object.entries(input.tags ?? {}).map(([key, value]) => `${key}=${value}`).join(', ') });
      return {};
    },
    UntagResourceCommand: (input: UntagResourceCommandInput, ctx: CallContext): ServiceOutput<Record<string, never>> => {
      const record = this.#byArn(ctx, input.resourceArn);
      const tags = { ...record.cluster.tags };
      for (const key of input.tagKeys ?? []) delete tags[key];
      record.cluster.tags = tags;
      ctx.changed({ service: 'eks', action: 'UntagResource', resource: `cluster/${record.cluster.name}`, detail: (input.tagKeys ?? []).join(', ') });
      return {};
    },
    UpdateClusterConfigCommand: (input: UpdateClusterConfigCommandInput, ctx: CallContext): ServiceOutput<UpdateClusterConfigCommandOutput> => {
      const record = this.#record(ctx, input.name ?? '');
      const scope = { clusterKey: this.#key(ctx, input.name ?? '') };
      this.#assertActive(record);
      this.updates.assertIdle(scope, `Cluster ${input.name}`);
      if (!input.logging) throw new InvalidParameterException({ message: 'The sandbox implements UpdateClusterConfig for logging only', $metadata: {} });
      const logging = mergeLogging(record.cluster.logging?.clusterLogging ?? [], input.logging.clusterLogging ?? []);
      if (JSON.stringify(enabledTypes(logging)) === JSON.stringify(enabledTypes(record.cluster.logging?.clusterLogging ?? []))) {
        throw new InvalidParameterException({ message: 'No changes needed for the logging config provided', $metadata: {} });
      }
      const update = this.updates.start(scope, 'LoggingUpdate', [{ type: 'ClusterLogging', value: JSON.stringify({ clusterLogging: input.logging.clusterLogging }) }], LOGGING_UPDATE_MS, () => {
        record.cluster.logging = { clusterLogging: logging };
      });
      ctx.changed({ service: 'eks', action: 'UpdateClusterConfig', resource: `cluster/${input.name}`, detail: `logging ${enabledTypes(logging).join(', ') || 'off'} (update ${update.id})` });
      return { update };
    },
    UpdateClusterVersionCommand: (input: UpdateClusterVersionCommandInput, ctx: CallContext): ServiceOutput<UpdateClusterVersionCommandOutput> => {
      const name = input.name ?? '';
      const record = this.#record(ctx, name);
      const scope = { clusterKey: this.#key(ctx, name) };
      // EKS refuses a second update of the cluster while one runs, and any update of a cluster not ACTIVE.
      this.updates.assertIdle(scope, `Cluster ${name}`);
      this.#assertActive(record);
      const current = record.cluster.version ?? DEFAULT_VERSION;
      const target = input.version ?? '';
      // EKS: "You can update only one minor version at a time"; the same version is "already at".
      if (target === current) throw new InvalidParameterException({ message: `Cluster is already at the desired configuration with version: ${target}`, clusterName: name, $metadata: {} });
      if (target !== nextMinor(current) || !KUBERNETES_VERSIONS.some((entry) => entry.version === target)) {
        throw new InvalidParameterException({ message: `Unsupported Kubernetes minor version update from ${current} to ${target}`, clusterName: name, $metadata: {} });
      }
      for (const gate of this.#versionGates) gate(ctx, name, target, input.force === true);
      record.cluster.status = 'UPDATING';
      const update = this.updates.start(
        scope,
        'VersionUpdate',
        [
          { type: 'Version', value: target },
          { type: 'PlatformVersion', value: 'eks.1' },
        ],
        this.durations.controlPlaneMs,
        () => {
          record.cluster.version = target;
          record.cluster.platformVersion = 'eks.1';
        },
        () => {
          if (record.cluster.status === 'UPDATING') record.cluster.status = 'ACTIVE';
        },
      );
      ctx.changed({ service: 'eks', action: 'UpdateClusterVersion', resource: `cluster/${name}`, detail: `${current} → ${target} (update ${update.id})` });
      return { update };
    },
    DescribeClusterVersionsCommand: (input: DescribeClusterVersionsCommandInput): ServiceOutput<DescribeClusterVersionsCommandOutput> => {
      const now = this.#clock.now().getTime();
      const wanted = input.clusterVersions;
      const versions = KUBERNETES_VERSIONS.filter((entry) => !wanted || wanted.includes(entry.version)).filter((entry) => Date.parse(entry.releaseDate) <= now);
      const newest = versions.at(-1)?.version;
      return {
        clusterVersions: versions.map((entry) => {
          const standard = Date.parse(entry.endOfStandardSupportDate) > now;
          return {
            clusterVersion: entry.version,
            clusterType: 'eks',
            defaultPlatformVersion: 'eks.1',
            defaultVersion: entry.version === newest,
            releaseDate: new Date(entry.releaseDate),
            endOfStandardSupportDate: new Date(entry.endOfStandardSupportDate),
            endOfExtendedSupportDate: new Date(entry.endOfExtendedSupportDate),
            versionStatus: standard ? 'STANDARD_SUPPORT' : 'EXTENDED_SUPPORT',
          };
        }),
      };
    },
    DescribeUpdateCommand: (input: DescribeUpdateCommandInput, ctx: CallContext): ServiceOutput<DescribeUpdateCommandOutput> => {
      this.#record(ctx, input.name ?? '');
      return { update: this.updates.describe(this.#scope(ctx, input), input.updateId ?? '') };
    },
    ListUpdatesCommand: (input: ListUpdatesCommandInput, ctx: CallContext): ServiceOutput<ListUpdatesCommandOutput> => {
      this.#record(ctx, input.name ?? '');
      return { updateIds: this.updates.list(this.#scope(ctx, input)) };
    },
    ListTagsForResourceCommand: (input: ListTagsForResourceCommandInput, ctx: CallContext): ServiceOutput<ListTagsForResourceCommandOutput> => ({
      tags: { ...this.#byArn(ctx, input.resourceArn).cluster.tags },
    }),
  };

  /** Adds a cluster as if it had been created earlier (scenarios and tests start from a fleet). */
  seedCluster(target: AccountRegion, name: string, options: { version?: string; tags?: Record<string, string>; status?: 'CREATING' | 'ACTIVE' } = {}): Cluster {
    const creationMs = options.status === 'CREATING' ? CLUSTER_CREATION_MS : 0;
    return structuredClone(this.#put(target, name, { version: options.version ?? DEFAULT_VERSION, tags: options.tags ?? {} }, creationMs));
  }

  /** A rule checked by UpdateClusterVersion, added by the EKS part that knows it (node groups, insights). */
  addVersionGate(gate: ClusterVersionGate): void {
    this.#versionGates.push(gate);
  }

  /** Health issues EKS reports on the cluster (DescribeCluster `health.issues`). */
  setClusterHealth(target: AccountRegion, name: string, issues: ClusterIssue[]): void {
    this.#record(target, name).cluster.health = { issues };
  }

  /** Points the cluster's API endpoint and CA (DescribeCluster) at a Kubernetes API the test runs (local/k8s). */
  connectKubernetesApi(target: AccountRegion, name: string, api: { endpoint: string; certificateAuthorityData: string }): void {
    const { cluster } = this.#record(target, name);
    cluster.endpoint = api.endpoint;
    cluster.certificateAuthority = { data: api.certificateAuthorityData };
  }

  /** The cluster disappears (deleted by someone else); later calls answer ResourceNotFoundException. */
  removeCluster(target: AccountRegion, name: string): void {
    this.#clusters.delete(this.#key(target, name));
  }

  /** The live record of a cluster, for the other EKS parts of the sandbox (node groups, add-ons). */
  clusterOf(target: AccountRegion, name: string): Cluster {
    return this.#record(target, name).cluster;
  }

  clusterKey(target: AccountRegion, name: string): string {
    return this.#key(target, name);
  }

  #scope(ctx: AccountRegion, input: { name?: string | undefined; nodegroupName?: string | undefined; addonName?: string | undefined }): UpdateScope {
    return {
      clusterKey: this.#key(ctx, input.name ?? ''),
      ...(input.nodegroupName ? { nodegroupName: input.nodegroupName } : {}),
      ...(input.addonName ? { addonName: input.addonName } : {}),
    };
  }

  #assertActive(record: ClusterRecord): void {
    if (record.cluster.status !== 'ACTIVE') {
      throw new ResourceInUseException({ message: `Cluster ${record.cluster.name} is in ${record.cluster.status} state`, clusterName: record.cluster.name, $metadata: {} });
    }
  }

  #put(ctx: AccountRegion, name: string, fields: Pick<Cluster, 'version' | 'tags' | 'roleArn'>, creationMs: number): Cluster {
    const now = this.#clock.now();
    const cluster: Cluster = {
      name,
      arn: `arn:aws:eks:${ctx.region}:${ctx.accountId}:cluster/${name}`,
      createdAt: now,
      status: creationMs > 0 ? 'CREATING' : 'ACTIVE',
      endpoint: `https://${name.toLowerCase()}.gr7.${ctx.region}.eks.amazonaws.com`,
      platformVersion: 'eks.1',
      logging: { clusterLogging: [{ types: [...LOG_TYPES], enabled: false }] },
      resourcesVpcConfig: { subnetIds: ['subnet-0a1', 'subnet-0b2'], securityGroupIds: [], endpointPublicAccess: true, endpointPrivateAccess: true },
      health: { issues: [] },
      ...fields,
    };
    this.#clusters.set(this.#key(ctx, name), { cluster, activeAt: now.getTime() + creationMs });
    return cluster;
  }

  #key(ctx: AccountRegion, name: string): string {
    return `${ctx.accountId}/${ctx.region}/${name}`;
  }

  #record(ctx: AccountRegion, name: string): ClusterRecord {
    // Updates that ended on the virtual clock show in every answer, not only in DescribeUpdate.
    this.updates.settleDue();
    const record = this.#clusters.get(this.#key(ctx, name));
    if (!record) throw new ResourceNotFoundException({ message: `No cluster found for name: ${name}.`, clusterName: name, $metadata: {} });
    if (record.cluster.status === 'CREATING' && this.#clock.now().getTime() >= record.activeAt) record.cluster.status = 'ACTIVE';
    return record;
  }

  #view(ctx: CallContext, name: string): Cluster {
    return structuredClone(this.#record(ctx, name).cluster);
  }

  #byArn(ctx: CallContext, arn: string | undefined): ClusterRecord {
    // TagResource and friends answer NotFoundException (not ResourceNotFoundException) for an unknown ARN.
    const match = /^arn:aws[a-z-]*:eks:([^:]+):(\d{12}):cluster\/(.+)$/.exec(arn ?? '');
    const record = match && match[1] === ctx.region && match[2] === ctx.accountId ? this.#clusters.get(this.#key(ctx, match[3] ?? '')) : undefined;
    if (!record) throw new NotFoundException({ message: `Resource not found: ${arn}`, $metadata: {} });
    return this.#record(ctx, record.cluster.name ?? '');
  }
}

/** Applies a logging request to the current setup: each type named takes the requested state. */
function mergeLogging(current: LogSetup[], requested: LogSetup[]): LogSetup[] {
  const enabled = new Set(enabledTypes(current));
  for (const setup of requested) {
    for (const type of setup.types ?? []) {
      if (setup.enabled) enabled.add(type);
      else enabled.delete(type);
    }
  }
  const on = LOG_TYPES.filter((type) => enabled.has(type));
  const off = LOG_TYPES.filter((type) => !enabled.has(type));
  return [...(on.length ? [{ types: on, enabled: true }] : []), ...(off.length ? [{ types: off, enabled: false }] : [])];
}

function enabledTypes(setups: LogSetup[]): LogType[] {
  return LOG_TYPES.filter((type) => setups.some((setup) => setup.enabled && setup.types?.includes(type)));
}
