import {
  type Addon,
  type AddonIssue,
  type DescribeAddonCommandInput,
  type DescribeAddonCommandOutput,
  type DescribeAddonVersionsCommandInput,
  type DescribeAddonVersionsCommandOutput,
  InvalidParameterException,
  type ListAddonsCommandInput,
  type ListAddonsCommandOutput,
  ResourceInUseException,
  ResourceNotFoundException,
  type UpdateAddonCommandInput,
  type UpdateAddonCommandOutput,
} from '@aws-sdk/client-eks';
import type { Clock } from '../../../shared/time/clock.ts';
import type { AccountRegion, CallContext, SandboxService, ServiceOutput } from '../account.ts';
import { ADDON_VERSIONS } from './eks-catalog.ts';
import type { SandboxEks } from './eks.ts';

/**
 * EKS add-ons in the in-memory account: installed add-ons per cluster, the versions EKS offers per
 * Kubernetes version (DescribeAddonVersions), and UpdateAddon with the rules of the API reference.
 */
export class SandboxEksAddons implements SandboxService {
  readonly clientName = 'EKSClient';
  readonly label = 'eks';
  /** An add-on update replaces a DaemonSet or Deployment: a few minutes. */
  readonly durations = { updateMs: 4 * 60_000 };
  readonly #addons = new Map<string, Addon>();
  readonly #eks: SandboxEks;
  readonly #clock: Clock;

  constructor(eks: SandboxEks, clock: Clock) {
    this.#eks = eks;
    this.#clock = clock;
  }

  readonly commands = {
    ListAddonsCommand: (input: ListAddonsCommandInput, ctx: CallContext): ServiceOutput<ListAddonsCommandOutput> => {
      this.#eks.clusterOf(ctx, input.clusterName ?? '');
      const prefix = `${this.#eks.clusterKey(ctx, input.clusterName ?? '')}/`;
      return { addons: [...this.#addons.keys()].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length)).sort() };
    },
    DescribeAddonCommand: (input: DescribeAddonCommandInput, ctx: CallContext): ServiceOutput<DescribeAddonCommandOutput> => ({
      addon: structuredClone(this.addonOf(ctx, input.clusterName ?? '', input.addonName ?? '')),
    }),
    DescribeAddonVersionsCommand: (input: DescribeAddonVersionsCommandInput): ServiceOutput<DescribeAddonVersionsCommandOutput> => {
      const entries = ADDON_VERSIONS.filter(
        (entry) => (!input.addonName || entry.addonName === input.addonName) && (!input.kubernetesVersion || entry.clusterVersions.includes(input.kubernetesVersion)),
      );
      const names = [...new Set(entries.map((entry) => entry.addonName))];
      return {
        addons: names.map((addonName) => ({
          addonName,
          type: addonName === 'aws-ebs-csi-driver' ? 'storage' : 'networking',
          owner: 'aws',
          publisher: 'eks',
          // Newest first, as EKS lists them.
          addonVersions: entries
            .filter((entry) => entry.addonName === addonName)
            .reverse()
            .map((entry) => ({
              addonVersion: entry.addonVersion,
              architecture: ['amd64', 'arm64'],
              compatibilities: entry.clusterVersions
                .filter((version) => !input.kubernetesVersion || version === input.kubernetesVersion)
                .map((clusterVersion) => ({ clusterVersion, platformVersions: ['*'], defaultVersion: entry.defaultFor.includes(clusterVersion) })),
            })),
        })),
      };
    },
    UpdateAddonCommand: (input: UpdateAddonCommandInput, ctx: CallContext): ServiceOutput<UpdateAddonCommandOutput> => {
      const clusterName = input.clusterName ?? '';
      const name = input.addonName ?? '';
      const cluster = this.#eks.clusterOf(ctx, clusterName);
      const addon = this.addonOf(ctx, clusterName, name);
      const clusterKey = this.#eks.clusterKey(ctx, clusterName);
      this.#eks.updates.assertIdle({ clusterKey, addonName: name }, `Addon ${name}`);
      if (cluster.status !== 'ACTIVE') throw new ResourceInUseException({ message: `Cluster ${clusterName} is in ${cluster.status} state`, clusterName, $metadata: {} });
      const version = input.addonVersion ?? addon.addonVersion ?? '';
      const entry = ADDON_VERSIONS.find((candidate) => candidate.addonName === name && candidate.addonVersion === version);
      if (!entry || !entry.clusterVersions.includes(cluster.version ?? '')) {
        throw new InvalidParameterException({ message: `Addon version specified is not supported: ${name} ${version} on Kubernetes ${cluster.version}`, clusterName, addonName: name, $metadata: {} });
      }
      addon.status = 'UPDATING';
      const update = this.#eks.updates.start(
        { clusterKey, addonName: name },
        'AddonUpdate',
        [
          { type: 'AddonVersion', value: version },
          ...(input.resolveConflicts ? [{ type: 'ResolveConflicts' as const, value: input.resolveConflicts }] : []),
        ],
        this.durations.updateMs,
        () => {
          addon.addonVersion = version;
          addon.modifiedAt = this.#clock.now();
        },
        (settled) => {
          addon.status = settled.status === 'Failed' ? 'DEGRADED' : 'ACTIVE';
        },
      );
      ctx.changed({ service: 'eks', action: 'UpdateAddon', resource: `addon/${clusterName}/${name}`, detail: `→ ${version} (update ${update.id})` });
      return { update };
    },
  };

  /** Installs an add-on as if it had been there before (scenarios and tests start from a fleet). */
  seedAddon(target: AccountRegion, clusterName: string, name: string, options: { version?: string; issues?: AddonIssue[] } = {}): Addon {
    const cluster = this.#eks.clusterOf(target, clusterName);
    const version = options.version ?? ADDON_VERSIONS.find((entry) => entry.addonName === name && entry.defaultFor.includes(cluster.version ?? ''))?.addonVersion;
    if (!version) throw new Error(`the sandbox catalog has no ${name} for Kubernetes ${cluster.version}`);
    const now = this.#clock.now();
    const addon: Addon = {
      addonName: name,
      clusterName,
      status: 'ACTIVE',
      addonVersion: version,
      addonArn: `arn:aws:eks:${target.region}:${target.accountId}:addon/${clusterName}/${name}/sandbox`,
      createdAt: now,
      modifiedAt: now,
      health: { issues: options.issues ?? [] },
      tags: {},
    };
    this.#addons.set(`${this.#eks.clusterKey(target, clusterName)}/${name}`, addon);
    return structuredClone(addon);
  }

  addonOf(target: AccountRegion, clusterName: string, name: string): Addon {
    this.#eks.clusterOf(target, clusterName);
    const addon = this.#addons.get(`${this.#eks.clusterKey(target, clusterName)}/${name}`);
    if (!addon) throw new ResourceNotFoundException({ message: `No addon: ${name} found in cluster: ${clusterName}`, clusterName, addonName: name, $metadata: {} });
    return addon;
  }
}
