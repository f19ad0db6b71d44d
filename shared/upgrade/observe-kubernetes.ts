import { KubernetesClientError, KubernetesStatusError, type ListResult } from '../k8s/client.ts';
import { imageName, parseImageReference } from './image-reference.ts';
import { samplesOf } from './prometheus-text.ts';

/**
 * What the Kubernetes-side pre-flight reads from the cluster API (upgrade.kubernetesChecks): every node's kubelet,
 * the self-managed kube-system components, the controllers that depend on the Kubernetes minor, and the deprecated
 * APIs still requested. Each part is read on its own: one the API refuses (RBAC, a timeout) becomes `{ error }`
 * and costs the others nothing. Only what the checks need is kept (the snapshot travels through Step Functions,
 * whose state is capped at 256 KiB): a summary of the nodes, never the node objects.
 */

/** The part of the client this reads with (KubernetesClient fits). */
export interface KubernetesReadPort {
  list<T = unknown>(path: string, options?: { pageSize?: number; maxItems?: number; signal?: AbortSignal }): Promise<ListResult<T>>;
  get<T = unknown>(path: string, query?: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<T>;
  getText(path: string, query?: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<string>;
}

export interface KubernetesPartError {
  error: string;
  remedy?: string;
  /** The HTTP status, when the API server answered one (403: RBAC). */
  status?: number;
}

/**
 * How a node's capacity is run, from its labels: `eks.amazonaws.com/compute-type` (fargate, auto for EKS Auto Mode,
 * hybrid for EKS Hybrid Nodes), else `karpenter.sh/nodepool` (self-managed Karpenter; Auto Mode nodes carry it too,
 * which is why compute-type is looked at first), else `eks.amazonaws.com/nodegroup` (a managed node group), else a
 * node EKS knows nothing about (self-managed: an Auto Scaling group of one's own, or any other).
 */
export type CapacityKind = 'fargate' | 'auto' | 'hybrid' | 'karpenter' | 'managed-nodegroup' | 'self-managed';

/** Nodes of one capacity kind whose kubelets are at one minor (or share one unparseable version). */
export interface KubeletGroup {
  capacity: CapacityKind;
  /** `1.31`; absent when the kubelet version did not parse. */
  minor?: string;
  count: number;
  /** The kubelet versions seen, as the nodes report them (at most MAX_VERSIONS_KEPT). */
  kubeletVersions: string[];
  /** The first MAX_NODES_NAMED node names. */
  nodes: string[];
  /** Node pools or node groups the nodes belong to (at most MAX_POOLS_NAMED). */
  pools: string[];
}

export interface NodesSummary {
  total: number;
  groups: KubeletGroup[];
  /** Set when there were more nodes than were read (the list's maxItems). */
  truncatedAt?: number;
}

/** The kube-system components EKS also offers as add-ons (the add-on name in parentheses): coredns, kube-proxy, aws-node (vpc-cni). */
export type ComponentName = 'coredns' | 'kube-proxy' | 'aws-node';

export interface ComponentSnapshot {
  component: ComponentName;
  kind: 'Deployment' | 'DaemonSet';
  namespace: string;
  name: string;
  /** The component's own container image (the container named as the component, else the first). */
  image: string;
}

export type ControllerName = 'cluster-autoscaler' | 'karpenter' | 'aws-load-balancer-controller' | 'aws-ebs-csi-driver' | 'aws-efs-csi-driver';

export interface ControllerSnapshot {
  controller: ControllerName;
  kind: 'Deployment' | 'DaemonSet';
  namespace: string;
  name: string;
  image: string;
}

export interface ControllersObservation {
  items: ControllerSnapshot[];
  /** Set when the deployments or daemonsets were more than were read: a controller may be missing. */
  truncatedAt?: number;
}

/** One series of apiserver_requested_deprecated_apis: a deprecated API some client requested since the API server started. */
export interface DeprecatedApiSeries {
  group: string;
  version: string;
  resource: string;
  subresource: string;
  /** `1.32`; '' when the API is deprecated with no removal planned. */
  removedRelease: string;
}

export interface DeprecatedApisObservation {
  series: DeprecatedApiSeries[];
  /** The text or its series were more than the parser reads. */
  truncated: boolean;
}

export interface KubernetesObservation {
  nodes: NodesSummary | KubernetesPartError;
  components: ComponentSnapshot[] | KubernetesPartError;
  controllers: ControllersObservation | KubernetesPartError;
  deprecatedApis: DeprecatedApisObservation | KubernetesPartError;
}

export interface ObserveKubernetesOptions {
  pageSize?: number;
  /** Per list (nodes, deployments, daemonsets); the client's default otherwise. */
  maxItems?: number;
  signal?: AbortSignal;
}

export const MAX_NODES_NAMED = 10;
export const MAX_VERSIONS_KEPT = 5;
export const MAX_POOLS_NAMED = 10;
const MAX_DEPRECATED_SERIES = 200;
/** Controller workloads kept: a cluster runs a handful; this bounds a cluster that runs one per namespace. */
export const MAX_CONTROLLERS = 50;

export const isPartError = (part: object): part is KubernetesPartError => 'error' in part;

export const NODES_PATH = '/api/v1/nodes';
export const DEPLOYMENTS_PATH = '/apis/apps/v1/deployments';
export const DAEMONSETS_PATH = '/apis/apps/v1/daemonsets';
export const METRICS_PATH = '/metrics';
export const DEPRECATED_APIS_METRIC = 'apiserver_requested_deprecated_apis';

const COMPONENT_PATHS: { component: ComponentName; kind: 'Deployment' | 'DaemonSet'; path: string }[] = [
  { component: 'coredns', kind: 'Deployment', path: '/apis/apps/v1/namespaces/kube-system/deployments/coredns' },
  { component: 'kube-proxy', kind: 'DaemonSet', path: '/apis/apps/v1/namespaces/kube-system/daemonsets/kube-proxy' },
  { component: 'aws-node', kind: 'DaemonSet', path: '/apis/apps/v1/namespaces/kube-system/daemonsets/aws-node' },
];

/** The fields of a Node, Deployment or DaemonSet read here (the objects have more). */
interface NodeObject {
  metadata?: { name?: string; labels?: Record<string, string> };
  status?: { nodeInfo?: { kubeletVersion?: string } };
}
interface WorkloadObject {
  metadata?: { name?: string; namespace?: string };
  spec?: { template?: { spec?: { containers?: { name?: string; image?: string }[] } } };
}

export async function observeKubernetes(client: () => Promise<KubernetesReadPort>, options: ObserveKubernetesOptions = {}): Promise<KubernetesObservation> {
  let api: KubernetesReadPort;
  try {
    api = await client();
  } catch (error) {
    const failed = partError(error);
    return { nodes: failed, components: failed, controllers: failed, deprecatedApis: failed };
  }
  const listOptions = { ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}), ...(options.maxItems !== undefined ? { maxItems: options.maxItems } : {}), ...(options.signal ? { signal: options.signal } : {}) };
  const [nodes, components, controllers, deprecatedApis] = await Promise.all([
    part(() => readNodes(api, listOptions), FORBIDDEN_REMEDIES.nodes),
    part(() => readComponents(api, options.signal), FORBIDDEN_REMEDIES.components),
    part(() => readControllers(api, listOptions), FORBIDDEN_REMEDIES.controllers),
    part(() => readDeprecatedApis(api, options.signal), FORBIDDEN_REMEDIES.deprecatedApis),
  ]);
  return { nodes, components, controllers, deprecatedApis };
}

/**
 * What a 403 on each part needs (the client's own remedy names the PDB permission). Kubernetes RBAC: nodes are
 * cluster-scoped and a non-resource URL can only be granted by a ClusterRole, bound with a ClusterRoleBinding.
 */
const ACCESS_ENTRY_GROUP = 'bound (ClusterRoleBinding) to a Kubernetes group listed in eksops\'s access entry';
export const FORBIDDEN_REMEDIES: Record<keyof KubernetesObservation, string> = {
  nodes: `allow list on nodes: a ClusterRole rule apiGroups [""], resources ["nodes"], verbs ["get", "list"], ${ACCESS_ENTRY_GROUP}`,
  components: `allow get on deployments and daemonsets in kube-system (apps): the AmazonEKSViewPolicy access policy, or a ClusterRole ${ACCESS_ENTRY_GROUP}`,
  controllers: `allow list on deployments and daemonsets (apps) at cluster scope: the AmazonEKSViewPolicy access policy with cluster scope, or a ClusterRole ${ACCESS_ENTRY_GROUP}`,
  deprecatedApis: `allow get on the non-resource URL /metrics: a ClusterRole rule nonResourceURLs ["/metrics"], verbs ["get"], ${ACCESS_ENTRY_GROUP}`,
};

async function part<T>(read: () => Promise<T>, forbiddenRemedy: string): Promise<T | KubernetesPartError> {
  try {
    return await read();
  } catch (error) {
    const failed = partError(error);
    return failed.status === 403 ? { ...failed, remedy: forbiddenRemedy } : failed;
  }
}

/** A failure of the cluster API is the part's; anything else (a bug) is thrown. */
function partError(error: unknown): KubernetesPartError {
  if (error instanceof KubernetesClientError) {
    const status = 'status' in error && typeof error.status === 'number' ? error.status : undefined;
    return { error: `${error.name}: ${error.message}`, remedy: error.remedy, ...(status !== undefined ? { status } : {}) };
  }
  throw error;
}

/** `v1.31.4-eks-aeac579` → `1.31`; also `1.31`, `v1.31.4`, Bottlerocket's and Windows' `v1.31.4-eks-…`. Undefined otherwise. */
export function kubeletMinor(version: string): string | undefined {
  const match = /^v?1\.(\d{1,3})(?:\.\d{1,6})?(?:[-+][0-9A-Za-z.+-]*)?$/.exec(version.trim());
  return match ? `1.${Number(match[1])}` : undefined;
}

export function capacityOf(labels: Record<string, string>): CapacityKind {
  const computeType = labels['eks.amazonaws.com/compute-type'];
  if (computeType === 'fargate' || computeType === 'auto' || computeType === 'hybrid') return computeType;
  if (labels['karpenter.sh/nodepool'] !== undefined) return 'karpenter';
  if (labels['eks.amazonaws.com/nodegroup'] !== undefined) return 'managed-nodegroup';
  return 'self-managed';
}

/** The nodes, grouped by capacity and kubelet minor. Pure: exported for the unit tests. */
export function summarizeNodes(nodes: readonly NodeObject[], truncatedAt?: number): NodesSummary {
  const groups = new Map<string, KubeletGroup>();
  for (const node of nodes) {
    const labels = node.metadata?.labels ?? {};
    const capacity = capacityOf(labels);
    const kubeletVersion = node.status?.nodeInfo?.kubeletVersion ?? '';
    const minor = kubeletMinor(kubeletVersion);
    // Unreadable versions share one group per capacity: the groups stay few whatever the nodes report.
    const key = `${capacity}|${minor ?? '?'}`;
    let group = groups.get(key);
    if (!group) {
      group = { capacity, ...(minor !== undefined ? { minor } : {}), count: 0, kubeletVersions: [], nodes: [], pools: [] };
      groups.set(key, group);
    }
    group.count += 1;
    if (group.kubeletVersions.length < MAX_VERSIONS_KEPT && !group.kubeletVersions.includes(kubeletVersion)) group.kubeletVersions.push(kubeletVersion);
    if (group.nodes.length < MAX_NODES_NAMED) group.nodes.push(node.metadata?.name ?? '(unnamed)');
    const pool = labels['karpenter.sh/nodepool'] ?? labels['eks.amazonaws.com/nodegroup'];
    if (pool !== undefined && group.pools.length < MAX_POOLS_NAMED && !group.pools.includes(pool)) group.pools.push(pool);
  }
  return { total: nodes.length, groups: [...groups.values()], ...(truncatedAt !== undefined ? { truncatedAt } : {}) };
}

async function readNodes(api: KubernetesReadPort, options: ObserveKubernetesOptions): Promise<NodesSummary> {
  const listed = await api.list<NodeObject>(NODES_PATH, options);
  return summarizeNodes(listed.items, listed.truncated ? listed.maxItems : undefined);
}

function containersOf(workload: WorkloadObject): { name: string; image: string }[] {
  const containers = workload.spec?.template?.spec?.containers;
  if (!Array.isArray(containers)) return [];
  return containers.flatMap((container) => (typeof container?.image === 'string' ? [{ name: typeof container.name === 'string' ? container.name : '', image: container.image }] : []));
}

/** kube-system's coredns, kube-proxy and aws-node, read by name: a 404 means the cluster does not run it (Auto Mode runs its own). */
async function readComponents(api: KubernetesReadPort, signal: AbortSignal | undefined): Promise<ComponentSnapshot[]> {
  const found = await Promise.all(
    COMPONENT_PATHS.map(async ({ component, kind, path }) => {
      let workload: WorkloadObject;
      try {
        workload = await api.get<WorkloadObject>(path, {}, signal);
      } catch (error) {
        if (error instanceof KubernetesStatusError && error.status === 404) return [];
        throw error;
      }
      const containers = containersOf(workload);
      const own = containers.find((container) => container.name === component) ?? containers[0];
      if (!own) return [];
      return [{ component, kind, namespace: workload.metadata?.namespace ?? 'kube-system', name: workload.metadata?.name ?? component, image: own.image }];
    }),
  );
  return found.flat();
}

/** Which controller an image is, by its repository's name (any registry: a mirror in one's own ECR keeps the name). */
export function controllerOf(image: string): ControllerName | undefined {
  const reference = parseImageReference(image);
  if (!reference) return undefined;
  const name = imageName(reference);
  if (name === 'cluster-autoscaler') return 'cluster-autoscaler';
  if (name === 'aws-load-balancer-controller') return 'aws-load-balancer-controller';
  if (name === 'aws-ebs-csi-driver') return 'aws-ebs-csi-driver';
  if (name === 'aws-efs-csi-driver') return 'aws-efs-csi-driver';
  // public.ecr.aws/karpenter/controller (v0.35 on) and …/karpenter/controller before; a mirror named karpenter.
  const components = reference.repository.split('/');
  if (name === 'karpenter' || (name === 'controller' && components.at(-2) === 'karpenter')) return 'karpenter';
  return undefined;
}

async function readControllers(api: KubernetesReadPort, options: ObserveKubernetesOptions): Promise<ControllersObservation> {
  const [deployments, daemonsets] = await Promise.all([api.list<WorkloadObject>(DEPLOYMENTS_PATH, options), api.list<WorkloadObject>(DAEMONSETS_PATH, options)]);
  const items: ControllerSnapshot[] = [];
  for (const [kind, listed] of [['Deployment', deployments], ['DaemonSet', daemonsets]] as const) {
    for (const workload of listed.items) {
      for (const container of containersOf(workload)) {
        const controller = controllerOf(container.image);
        if (items.length >= MAX_CONTROLLERS) break;
        if (controller && !items.some((item) => item.kind === kind && item.namespace === workload.metadata?.namespace && item.name === workload.metadata?.name && item.controller === controller)) {
          items.push({ controller, kind, namespace: workload.metadata?.namespace ?? '', name: workload.metadata?.name ?? '', image: container.image });
        }
      }
    }
  }
  const truncatedAt = deployments.truncated ? deployments.maxItems : daemonsets.truncated ? daemonsets.maxItems : undefined;
  return { items, ...(truncatedAt !== undefined ? { truncatedAt } : {}) };
}

/** The deprecated APIs the API server answering saw requested (an HA control plane: each instance counts its own, since its start). */
export function deprecatedApisFrom(text: string): DeprecatedApisObservation {
  const { samples, truncated } = samplesOf(text, DEPRECATED_APIS_METRIC);
  const series: DeprecatedApiSeries[] = [];
  const seen = new Set<string>();
  let cut = truncated;
  for (const sample of samples) {
    if (!(sample.value > 0)) continue;
    const entry = {
      group: sample.labels.group ?? '',
      version: sample.labels.version ?? '',
      resource: sample.labels.resource ?? '',
      subresource: sample.labels.subresource ?? '',
      removedRelease: sample.labels.removed_release ?? '',
    };
    const key = `${entry.group}/${entry.version}/${entry.resource}/${entry.subresource}`;
    if (seen.has(key)) continue;
    if (series.length >= MAX_DEPRECATED_SERIES) {
      cut = true;
      break;
    }
    seen.add(key);
    series.push(entry);
  }
  return { series, truncated: cut };
}

async function readDeprecatedApis(api: KubernetesReadPort, signal: AbortSignal | undefined): Promise<DeprecatedApisObservation> {
  return deprecatedApisFrom(await api.getText(METRICS_PATH, {}, signal));
}
