/**
 * Which pods of a node a drain evicts, as `kubectl drain --ignore-daemonsets` decides (k8s.io/kubectl pkg/drain
 * filters.go): DaemonSet pods are left (the DaemonSet controller ignores unschedulable and would recreate them),
 * mirror pods are left (the kubelet owns them, from a static manifest: the API cannot evict them), and pods already
 * being deleted are only waited for. Pure: the pod objects in, the decision out.
 */

/** The v1 Pod fields a drain reads (the API object has more). */
export interface Pod {
  metadata: {
    namespace: string;
    name: string;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; controller?: boolean }[];
    deletionTimestamp?: string;
  };
  spec?: { nodeName?: string };
  status?: { phase?: string };
}

/** The v1 Node fields a drain reads. */
export interface Node {
  metadata: { name: string };
  spec?: { providerID?: string; unschedulable?: boolean };
}

// The kubelet marks the API object of a static pod with this annotation (k8s.io/kubernetes pkg/kubelet/types).
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

export type PodDecision = { pod: Pod; action: 'evict' } | { pod: Pod; action: 'skip'; reason: 'daemonset' | 'mirror' } | { pod: Pod; action: 'await'; reason: 'already terminating' };

export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

export function decidePod(pod: Pod): PodDecision {
  if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return { pod, action: 'skip', reason: 'mirror' };
  if (pod.metadata.ownerReferences?.some((owner) => owner.kind === 'DaemonSet' && owner.controller === true)) return { pod, action: 'skip', reason: 'daemonset' };
  if (pod.metadata.deletionTimestamp) return { pod, action: 'await', reason: 'already terminating' };
  return { pod, action: 'evict' };
}

/**
 * The node of an EC2 instance: the AWS cloud provider sets `spec.providerID` to `aws:///<availability zone>/<instance id>`
 * (kubernetes/cloud-provider-aws). The zone is compared when known.
 */
export function isNodeOfInstance(node: Node, instanceId: string, availabilityZone?: string): boolean {
  const providerId = node.spec?.providerID ?? '';
  if (availabilityZone) return providerId === `aws:///${availabilityZone}/${instanceId}`;
  return providerId.startsWith('aws:///') && providerId.endsWith(`/${instanceId}`);
}

/** The next wait between eviction rounds: 5 s doubling up to 30 s (kubectl drain retries a 429 every 5 s). */
export function evictionBackoffMs(round: number): number {
  return Math.min(30_000, 5_000 * 2 ** Math.max(0, round));
}
