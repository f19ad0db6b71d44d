import {
  type DescribeNodegroupCommandInput,
  type DescribeNodegroupCommandOutput,
  InvalidParameterException,
  type ListNodegroupsCommandInput,
  type ListNodegroupsCommandOutput,
  type Nodegroup,
  ResourceNotFoundException,
  type Taint,
} from '@aws-sdk/client-eks';
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
  readonly #nodegroups = new Map<string, Nodegroup>();
  readonly #eks: SandboxEks;
  readonly #clock: Clock;

  constructor(eks: SandboxEks, clock: Clock) {
    this.#eks = eks;
    this.#clock = clock;
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
    DescribeNodegroupCommand: (input: DescribeNodegroupCommandInput, ctx: CallContext): ServiceOutput<DescribeNodegroupCommandOutput> => ({
      nodegroup: structuredClone(this.nodegroupOf(ctx, input.clusterName ?? '', input.nodegroupName ?? '')),
    }),
  };

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
