import {
  type DescribeNodegroupCommandInput,
  type DescribeNodegroupCommandOutput,
  InvalidParameterException,
  type ListNodegroupsCommandInput,
  type ListNodegroupsCommandOutput,
  type Nodegroup,
  ResourceNotFoundException,
  type Taint,
  type UpdateNodegroupVersionCommandInput,
  type UpdateNodegroupVersionCommandOutput,
  type Issue,
  InvalidRequestException,
  ResourceInUseException,
} from '@aws-sdk/client-eks';
import { KUBERNETES_VERSIONS, minorOf } from './eks-catalog.ts';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../shared/time/clock.ts';
import type { AccountRegion, CallContext, SandboxService, ServiceOutput } from '../account.ts';
import type { SandboxEks } from './eks.ts';

export interface NodegroupSeed {
  version?: string;
  releaseVersion?: string;
  status?: Nodegroup['status'];
  tags?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Taint[];
  subnets?: string[];
  instanceTypes?: string[];
  amiType?: Nodegroup['amiType'];
  capacityType?: Nodegroup['capacityType'];
  scalingConfig?: Nodegroup['scalingConfig'];
  updateConfig?: Nodegroup['updateConfig'];
  launchTemplate?: Nodegroup['launchTemplate'];
  /** The Auto Scaling group EKS made for it; default `eks-<nodegroup>-<uuid>` as EKS names them. */
  autoScalingGroupName?: string;
}

/**
 * EKS managed node groups in the in-memory account (the EKSClient commands about node groups; SandboxEks
 * answers for clusters). The node group's Auto Scaling group lives in the sandbox's Auto Scaling service,
 * seeded by whoever builds the fleet, under `resources.autoScalingGroups[0].name`.
 */
export class SandboxEksNodegroups implements SandboxService {
  readonly clientName = 'EKSClient';
  readonly label = 'eks';
  /**
   * A managed node group update launches new nodes, drains the old ones in batches of `maxUnavailable`, then
   * scales down (EKS user guide, "Understand each phase of node updates"): half an hour to hours. The sandbox
   * takes a fixed setup and scale-up time plus one drain per batch.
   */
  readonly durations = { setupMs: 20 * 60_000, perBatchMs: 8 * 60_000 };
  readonly #nodegroups = new Map<string, Nodegroup>();
  readonly #eks: SandboxEks;
  readonly #clock: Clock;

  constructor(eks: SandboxEks, clock: Clock) {
    this.#eks = eks;
    this.#clock = clock;
    // UpdateClusterVersion: "all of your node groups' Kubernetes versions must match the cluster's Kubernetes
    // version in order to update the cluster to a new Kubernetes version" (EKS API reference).
    eks.addVersionGate((target, clusterName, version) => {
      const cluster = eks.clusterOf(target, clusterName);
      const behind = this.#under(target, clusterName).filter((nodegroup) => nodegroup.version !== cluster.version);
      if (behind.length > 0) {
        throw new InvalidRequestException({
          message: `Nodegroups ${behind.map((nodegroup) => nodegroup.nodegroupName).join(', ')} must be updated to match cluster version ${cluster.version} before updating cluster version to ${version}`,
          clusterName,
          $metadata: {},
        });
      }
    });
  }

  readonly commands = {
    ListNodegroupsCommand: (input: ListNodegroupsCommandInput, ctx: CallContext): ServiceOutput<ListNodegroupsCommandOutput> => {
      this.#eks.clusterOf(ctx, input.clusterName ?? '');
      // EKS ListNodegroups: maxResults 1-100, default 100.
      const max = input.maxResults ?? 100;
      if (max < 1 || max > 100) throw new InvalidParameterException({ message: 'maxResults must be between 1 and 100', $metadata: {} });
      const prefix = `${this.#eks.clusterKey(ctx, input.clusterName ?? '')}/`;
      const names = [...this.#nodegroups.keys()].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length)).sort();
      const start = input.nextToken ? Number(Buffer.from(input.nextToken, 'base64url').toString()) : 0;
      const next = start + max < names.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
      return { nodegroups: names.slice(start, start + max), ...(next ? { nextToken: next } : {}) };
    },
    DescribeNodegroupCommand: (input: DescribeNodegroupCommandInput, ctx: CallContext): ServiceOutput<DescribeNodegroupCommandOutput> => {
      this.#eks.updates.settleDue();
      return { nodegroup: structuredClone(this.nodegroupOf(ctx, input.clusterName ?? '', input.nodegroupName ?? '')) };
    },
    UpdateNodegroupVersionCommand: (input: UpdateNodegroupVersionCommandInput, ctx: CallContext): ServiceOutput<UpdateNodegroupVersionCommandOutput> => {
      const clusterName = input.clusterName ?? '';
      const name = input.nodegroupName ?? '';
      const cluster = this.#eks.clusterOf(ctx, clusterName);
      const nodegroup = this.nodegroupOf(ctx, clusterName, name);
      const clusterKey = this.#eks.clusterKey(ctx, clusterName);
      this.#eks.updates.assertIdle({ clusterKey, nodegroupName: name }, `Nodegroup ${name}`);
      // A node group cannot be updated while its cluster is being updated.
      if (cluster.status !== 'ACTIVE') throw new ResourceInUseException({ message: `Cluster ${clusterName} is in ${cluster.status} state`, clusterName, $metadata: {} });
      if (nodegroup.status !== 'ACTIVE') throw new ResourceInUseException({ message: `Nodegroup ${name} is in ${nodegroup.status} state`, nodegroupName: name, $metadata: {} });
      const version = input.version ?? cluster.version ?? '';
      // Kubernetes version skew: kubelets may lag the API server but never lead it.
      if (minorOf(version) > minorOf(cluster.version ?? version)) {
        throw new InvalidParameterException({ message: `Requested Nodegroup version ${version} is newer than the cluster version ${cluster.version}`, nodegroupName: name, clusterName, $metadata: {} });
      }
      if (!KUBERNETES_VERSIONS.some((entry) => entry.version === version)) throw new InvalidParameterException({ message: `Requested version ${version} is not supported`, $metadata: {} });
      // "You can update a node group using a launch template only if the node group was originally deployed with a launch template."
      if (input.launchTemplate && !nodegroup.launchTemplate) {
        throw new InvalidParameterException({ message: 'You cannot specify a launch template for a node group that was not created with one', nodegroupName: name, $metadata: {} });
      }
      if (input.launchTemplate && nodegroup.launchTemplate && (input.launchTemplate.id ?? input.launchTemplate.name) !== (nodegroup.launchTemplate.id ?? nodegroup.launchTemplate.name)) {
        throw new InvalidParameterException({ message: 'The launch template ID or name must match the one the node group was created with', nodegroupName: name, $metadata: {} });
      }
      const releaseVersion = input.releaseVersion ?? `${version}.0-20260201`;
      const params = [
        { type: 'Version' as const, value: version },
        { type: 'ReleaseVersion' as const, value: releaseVersion },
        ...(input.launchTemplate ? [{ type: 'LaunchTemplateVersion' as const, value: input.launchTemplate.version ?? '$Default' }] : []),
      ];
      nodegroup.status = 'UPDATING';
      const update = this.#eks.updates.start(
        { clusterKey, nodegroupName: name },
        'VersionUpdate',
        params,
        this.updateDurationMs(nodegroup),
        () => {
          nodegroup.version = version;
          nodegroup.releaseVersion = releaseVersion;
          if (input.launchTemplate && nodegroup.launchTemplate) nodegroup.launchTemplate = { ...nodegroup.launchTemplate, version: input.launchTemplate.version ?? nodegroup.launchTemplate.version };
          nodegroup.modifiedAt = this.#clock.now();
        },
        () => {
          nodegroup.status = 'ACTIVE';
        },
      );
      ctx.changed({ service: 'eks', action: 'UpdateNodegroupVersion', resource: `nodegroup/${clusterName}/${name}`, detail: `${nodegroup.version} → ${version} (update ${update.id})` });
      return { update };
    },
  };

  /** How long an update of this node group takes: setup and scale-up, then one drain per batch of maxUnavailable nodes. */
  updateDurationMs(nodegroup: Nodegroup): number {
    const desired = nodegroup.scalingConfig?.desiredSize ?? 1;
    const percentage = nodegroup.updateConfig?.maxUnavailablePercentage;
    const unavailable = Math.max(1, percentage ? Math.floor((desired * percentage) / 100) : (nodegroup.updateConfig?.maxUnavailable ?? 1));
    return this.durations.setupMs + Math.ceil(desired / unavailable) * this.durations.perBatchMs;
  }

  /** Health issues EKS reports on the node group (DescribeNodegroup `health.issues`). */
  setHealth(target: AccountRegion, clusterName: string, name: string, issues: Issue[]): void {
    this.nodegroupOf(target, clusterName, name).health = { issues };
  }

  #under(target: AccountRegion, clusterName: string): Nodegroup[] {
    const prefix = `${this.#eks.clusterKey(target, clusterName)}/`;
    return [...this.#nodegroups.entries()].filter(([key]) => key.startsWith(prefix)).map(([, nodegroup]) => nodegroup);
  }

  seedNodegroup(target: AccountRegion, clusterName: string, name: string, seed: NodegroupSeed = {}): Nodegroup {
    const cluster = this.#eks.clusterOf(target, clusterName);
    const now = this.#clock.now();
    const nodegroup: Nodegroup = {
      nodegroupName: name,
      nodegroupArn: `arn:aws:eks:${target.region}:${target.accountId}:nodegroup/${clusterName}/${name}/${randomUUID()}`,
      clusterName,
      version: seed.version ?? cluster.version,
      releaseVersion: seed.releaseVersion ?? `${seed.version ?? cluster.version}.0-20260101`,
      createdAt: now,
      modifiedAt: now,
      status: seed.status ?? 'ACTIVE',
      capacityType: seed.capacityType ?? 'ON_DEMAND',
      scalingConfig: seed.scalingConfig ?? { minSize: 1, maxSize: 3, desiredSize: 2 },
      instanceTypes: seed.instanceTypes ?? ['m6g.large'],
      subnets: seed.subnets ?? ['subnet-0a1', 'subnet-0b2'],
      amiType: seed.amiType ?? 'AL2023_ARM_64_STANDARD',
      nodeRole: `arn:aws:iam::${target.accountId}:role/${clusterName}-node`,
      labels: seed.labels ?? {},
      taints: seed.taints ?? [],
      resources: { autoScalingGroups: [{ name: seed.autoScalingGroupName ?? `eks-${name}-${randomUUID()}` }] },
      updateConfig: seed.updateConfig ?? { maxUnavailable: 1 },
      tags: seed.tags ?? {},
      health: { issues: [] },
      ...(seed.launchTemplate ? { launchTemplate: seed.launchTemplate } : {}),
    };
    this.#nodegroups.set(`${this.#eks.clusterKey(target, clusterName)}/${name}`, nodegroup);
    return structuredClone(nodegroup);
  }

  /** The live node group, for the other EKS parts of the sandbox (updates). */
  nodegroupOf(target: AccountRegion, clusterName: string, name: string): Nodegroup {
    this.#eks.clusterOf(target, clusterName);
    const nodegroup = this.#nodegroups.get(`${this.#eks.clusterKey(target, clusterName)}/${name}`);
    if (!nodegroup) throw new ResourceNotFoundException({ message: `No node group found for name: ${name}.`, nodegroupName: name, clusterName, $metadata: {} });
    return nodegroup;
  }
}
