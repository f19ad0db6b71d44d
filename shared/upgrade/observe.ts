import {
  DescribeAddonCommand,
  DescribeAddonVersionsCommand,
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeInsightCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  paginateListAddons,
  paginateListFargateProfiles,
  paginateListInsights,
  paginateListNodegroups,
  paginateListUpdates,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import { DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import type { Cluster } from '@aws-sdk/client-eks';
import { KubernetesClient } from '../k8s/client.ts';
import type { Clock } from '../time/clock.ts';
import type { UpgradeClients } from './clients.ts';
import { ClusterGoneError } from './errors.ts';
import { observePodDisruptionBudgets } from './observe-pod-disruption-budgets.ts';
import { observeUnmanagedCapacity } from './observe-capacity.ts';
import { observeKubernetes } from './observe-kubernetes.ts';
import { observeSelfManaged } from './observe-self-managed.ts';
import { mapBounded } from '../concurrency/map-bounded.ts';
import { collect, DESCRIBE_CONCURRENCY } from './paging.ts';
import type { AddonCatalog, AddonSnapshot, ClusterSnapshot, InsightSnapshot, NodegroupSnapshot, OfferedVersion, RunningUpdate, VersionUpdateRecord } from './snapshot.ts';
import { upgradeTarget } from './target.ts';
import { compareMinor } from './versions.ts';

/**
 * Reads what the decisions need, read-only. The target (upgradeTarget: `requested`, else the newest version EKS
 * offers) bounds the add-on catalogs and AMIs read: one DescribeAddonVersions per Kubernetes version from the
 * cluster's to the target, so that every hop of the plan and of the run has its own.
 */
export interface ObserveOptions {
  /** The run's target (the request's or upgrade.targetVersion); omitted: the newest version EKS offers. */
  requested?: string | undefined;
  now: Date;
  /** Read the cluster's Kubernetes API too (upgrade.kubernetesChecks): its PodDisruptionBudgets. */
  kubernetes?: { clock: Clock };
}

export async function observeCluster(clients: UpgradeClients, name: string, options: ObserveOptions): Promise<ClusterSnapshot> {
  const { eks } = clients;
  let cluster;
  try {
    cluster = (await eks.send(new DescribeClusterCommand({ name }))).cluster;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) throw new ClusterGoneError(`cluster ${name} does not exist (deleted?)`, { cause: error });
    throw error;
  }
  if (!cluster?.version) throw new ClusterGoneError(`cluster ${name} has no version`);
  const version = cluster.version;

  const nodegroupNames = await collect(paginateListNodegroups({ client: eks }, { clusterName: name }), (page) => page.nodegroups ?? []);
  const addonNames = await collect(paginateListAddons({ client: eks }, { clusterName: name }), (page) => page.addons ?? []);
  const fargateProfiles = await collect(paginateListFargateProfiles({ client: eks }, { clusterName: name }), (page) => page.fargateProfileNames ?? []);
  const [nodegroups, addons, offeredVersions, insights, clusterUpdates] = await Promise.all([
    mapBounded(nodegroupNames, DESCRIBE_CONCURRENCY, (nodegroupName) => describeNodegroup(clients, name, nodegroupName)),
    mapBounded(addonNames, DESCRIBE_CONCURRENCY, (addonName) => describeAddon(clients, name, addonName)),
    offered(clients),
    readInsights(clients, name),
    readClusterUpdates(clients, name, cluster.status === 'ACTIVE'),
  ]);
  const { target, catalogVersions } = upgradeTarget(version, offeredVersions, options.requested);
  const kubernetesApi = options.kubernetes ? kubernetesClientOf(clients, cluster, await clients.eks.config.region(), options.kubernetes.clock) : undefined;
  const [addonCatalogs, selfManaged, podDisruptionBudgets, kubernetes, unmanagedCapacity] = await Promise.all([
    Promise.all(catalogVersions.map((kubernetesVersion) => addonCatalog(clients, kubernetesVersion))),
    // The recommended AMIs are read for the same versions as the add-on catalogs: every hop of the plan.
    observeSelfManaged(clients, name, catalogVersions),
    kubernetesApi ? observePodDisruptionBudgets(kubernetesApi) : Promise.resolve(undefined),
    kubernetesApi ? observeKubernetes(async () => kubernetesApi()) : Promise.resolve(undefined),
    // Without the cluster API, Karpenter's nodes are seen (not their kubelets) through EC2.
    kubernetesApi ? Promise.resolve(undefined) : observeUnmanagedCapacity(clients.ec2, name),
  ]);
  const subnetIds = [...new Set([...(cluster.resourcesVpcConfig?.subnetIds ?? []), ...nodegroups.flatMap((nodegroup) => nodegroup.snapshot.subnets)])];
  const subnets = subnetIds.length ? ((await clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds }))).Subnets ?? []) : [];
  return {
    name,
    version,
    target,
    status: cluster.status ?? 'UNKNOWN',
    ...(cluster.platformVersion ? { platformVersion: cluster.platformVersion } : {}),
    subnetIds: cluster.resourcesVpcConfig?.subnetIds ?? [],
    issues: (cluster.health?.issues ?? []).map((issue) => ({ code: issue.code ?? 'Unknown', message: issue.message ?? '' })),
    nodegroups: nodegroups.map((nodegroup) => nodegroup.snapshot),
    addons: addons.map((addon) => addon.snapshot),
    offeredVersions,
    addonCatalogs,
    insights,
    subnets: subnets.map((subnet) => ({ id: subnet.SubnetId ?? '', availableIps: subnet.AvailableIpAddressCount ?? 0, availabilityZone: subnet.AvailabilityZone ?? '' })),
    fargateProfiles,
    ...(podDisruptionBudgets ? { podDisruptionBudgets } : {}),
    ...(kubernetes ? { kubernetes } : {}),
    ...(unmanagedCapacity ? { unmanagedCapacity } : {}),
    selfManagedGroups: selfManaged.groups,
    ...(clusterUpdates.lastVersionUpdate ? { lastVersionUpdate: clusterUpdates.lastVersionUpdate } : {}),
    runningUpdates: [...clusterUpdates.running, ...nodegroups.flatMap((nodegroup) => nodegroup.running), ...addons.flatMap((addon) => addon.running), ...selfManaged.running],
    observedAt: options.now.toISOString(),
  };
}

async function describeNodegroup(clients: UpgradeClients, clusterName: string, nodegroupName: string): Promise<{ snapshot: NodegroupSnapshot; running: RunningUpdate[] }> {
  const nodegroup = (await clients.eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName }))).nodegroup ?? {};
  const snapshot: NodegroupSnapshot = {
    name: nodegroupName,
    version: nodegroup.version ?? '',
    status: nodegroup.status ?? 'UNKNOWN',
    desiredSize: nodegroup.scalingConfig?.desiredSize ?? 0,
    maxSize: nodegroup.scalingConfig?.maxSize ?? nodegroup.scalingConfig?.desiredSize ?? 0,
    subnets: nodegroup.subnets ?? [],
    issues: (nodegroup.health?.issues ?? []).map((issue) => ({ code: issue.code ?? 'Unknown', message: issue.message ?? '' })),
    ...(nodegroup.releaseVersion ? { releaseVersion: nodegroup.releaseVersion } : {}),
    ...(nodegroup.amiType ? { amiType: nodegroup.amiType } : {}),
    ...(nodegroup.launchTemplate ? { launchTemplate: definedOnly(nodegroup.launchTemplate) } : {}),
    ...(nodegroup.updateConfig?.maxUnavailable !== undefined ? { maxUnavailable: nodegroup.updateConfig.maxUnavailable } : {}),
    ...(nodegroup.updateConfig?.maxUnavailablePercentage !== undefined ? { maxUnavailablePercentage: nodegroup.updateConfig.maxUnavailablePercentage } : {}),
  };
  // Only a node group that is not ACTIVE can have an update running: skip the calls otherwise.
  const running = snapshot.status === 'ACTIVE' ? [] : await runningUpdates(clients, clusterName, { nodegroupName });
  return { snapshot, running };
}

async function describeAddon(clients: UpgradeClients, clusterName: string, addonName: string): Promise<{ snapshot: AddonSnapshot; running: RunningUpdate[] }> {
  const addon = (await clients.eks.send(new DescribeAddonCommand({ clusterName, addonName }))).addon ?? {};
  const snapshot: AddonSnapshot = {
    name: addonName,
    version: addon.addonVersion ?? '',
    status: addon.status ?? 'UNKNOWN',
    issues: (addon.health?.issues ?? []).map((issue) => ({ code: issue.code ?? 'Unknown', message: issue.message ?? '' })),
  };
  const running = snapshot.status === 'UPDATING' ? await runningUpdates(clients, clusterName, { addonName }) : [];
  return { snapshot, running };
}

async function runningUpdates(clients: UpgradeClients, name: string, scope: { nodegroupName?: string; addonName?: string }): Promise<RunningUpdate[]> {
  const ids = await collect(paginateListUpdates({ client: clients.eks }, { name, ...scope }), (page) => page.updateIds ?? []);
  const running: RunningUpdate[] = [];
  // ListUpdates promises no order: look at every update, newest first by the usual listing, stop at the first running one.
  for (const updateId of ids.slice().reverse()) {
    const update = (await clients.eks.send(new DescribeUpdateCommand({ name, updateId, ...scope }))).update;
    if (update?.status === 'InProgress') {
      // EKS runs one update at a time per cluster, node group or add-on.
      running.push({ id: updateId, type: update.type ?? 'Unknown', ...(scope.nodegroupName ? { nodegroup: scope.nodegroupName } : {}), ...(scope.addonName ? { addon: scope.addonName } : {}) });
      break;
    }
  }
  return running;
}

/** Cluster updates described at most: a cluster's history beyond this many updates is not read. */
const MAX_CLUSTER_UPDATES = 200;

/**
 * The cluster's own updates (not its node groups' or add-ons'): the one running, if any, and the newest successful
 * version update, which dates the last hop (bake period, insight freshness). ListUpdates promises no order, so
 * every listed update is described (a few at a time), at most MAX_CLUSTER_UPDATES of them.
 */
async function readClusterUpdates(clients: UpgradeClients, name: string, active: boolean): Promise<{ running: RunningUpdate[]; lastVersionUpdate?: VersionUpdateRecord }> {
  const ids = (await collect(paginateListUpdates({ client: clients.eks }, { name }), (page) => page.updateIds ?? [])).slice(-MAX_CLUSTER_UPDATES);
  const updates = (await mapBounded(ids, DESCRIBE_CONCURRENCY, async (updateId) => (await clients.eks.send(new DescribeUpdateCommand({ name, updateId }))).update)).flatMap((update) => (update ? [update] : []));
  // Only a cluster that is not ACTIVE can have an update running (UPDATING is eventually consistent: a start
  // that races it gets ResourceInUseException, which the state machine retries, and then sees it).
  const inProgress = active ? undefined : updates.find((update) => update.status === 'InProgress');
  const versionUpdates = updates.filter((update) => update.type === 'VersionUpdate' && update.status === 'Successful' && update.createdAt).sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
  const last = versionUpdates.at(-1);
  const version = last?.params?.find((param) => param.type === 'Version')?.value;
  return {
    running: inProgress ? [{ id: inProgress.id ?? '', type: inProgress.type ?? 'Unknown' }] : [],
    ...(last?.createdAt ? { lastVersionUpdate: { id: last.id ?? '', createdAt: last.createdAt.toISOString(), ...(version ? { version } : {}) } } : {}),
  };
}

async function offered(clients: UpgradeClients): Promise<OfferedVersion[]> {
  const versions = (await clients.eks.send(new DescribeClusterVersionsCommand({}))).clusterVersions ?? [];
  return versions
    .map((entry) => ({
      version: entry.clusterVersion ?? '',
      status: entry.versionStatus === 'STANDARD_SUPPORT' || entry.versionStatus === 'EXTENDED_SUPPORT' ? entry.versionStatus : ('UNKNOWN' as const),
      ...(entry.endOfStandardSupportDate ? { endOfStandardSupport: entry.endOfStandardSupportDate.toISOString() } : {}),
      ...(entry.endOfExtendedSupportDate ? { endOfExtendedSupport: entry.endOfExtendedSupportDate.toISOString() } : {}),
    }))
    .filter((entry) => entry.version !== '')
    .sort((a, b) => compareMinor(a.version, b.version));
}

async function readInsights(clients: UpgradeClients, clusterName: string): Promise<InsightSnapshot[]> {
  const summaries = await collect(paginateListInsights({ client: clients.eks }, { clusterName, filter: { categories: ['UPGRADE_READINESS'] } }), (page) => page.insights ?? []);
  // Only insights that are not passing need their recommendation; passing ones are summarised from the list.
  return Promise.all(
    summaries.map(async (summary) => {
      const status = summary.insightStatus?.status ?? 'UNKNOWN';
      const base: InsightSnapshot = {
        id: summary.id ?? '',
        name: summary.name ?? summary.id ?? '',
        kubernetesVersion: summary.kubernetesVersion ?? '',
        status,
        ...(summary.insightStatus?.reason ? { reason: summary.insightStatus.reason } : {}),
        ...(summary.lastRefreshTime ? { lastRefreshTime: summary.lastRefreshTime.toISOString() } : {}),
      };
      if (status === 'PASSING') return base;
      const insight = (await clients.eks.send(new DescribeInsightCommand({ clusterName, id: summary.id ?? '' }))).insight;
      return { ...base, ...(insight?.recommendation ? { recommendation: insight.recommendation } : {}) };
    }),
  );
}

async function addonCatalog(clients: UpgradeClients, kubernetesVersion: string): Promise<AddonCatalog> {
  const addons: AddonCatalog['addons'] = {};
  let nextToken: string | undefined;
  do {
    const page = await clients.eks.send(new DescribeAddonVersionsCommand({ kubernetesVersion, ...(nextToken ? { nextToken } : {}) }));
    for (const addon of page.addons ?? []) {
      const versions = (addon.addonVersions ?? []).filter((info) => info.compatibilities?.some((compatibility) => compatibility.clusterVersion === kubernetesVersion));
      const defaultVersion = versions.find((info) => info.compatibilities?.some((compatibility) => compatibility.clusterVersion === kubernetesVersion && compatibility.defaultVersion))?.addonVersion;
      addons[addon.addonName ?? ''] = { versions: versions.map((info) => info.addonVersion ?? ''), ...(defaultVersion ? { defaultVersion } : {}) };
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return { kubernetesVersion, addons };
}

function definedOnly<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

/** The cluster's Kubernetes API, with the credentials of the EKS client (the cluster's account); connected when first used. */
function kubernetesClientOf(clients: UpgradeClients, cluster: Cluster, region: string, clock: Clock): () => KubernetesClient {
  let client: KubernetesClient | undefined;
  return () => (client ??= KubernetesClient.forEksCluster(cluster, { region, credentials: clients.eks.config.credentials, clock }));
}
