import { KubernetesAccessError, type KubernetesClient, KubernetesClientError, KubernetesStatusError } from '../../k8s/client.ts';
import type { Clock } from '../../time/clock.ts';
import { decidePod, evictionBackoffMs, type Node, type Pod, podKey } from './pods.ts';

/** The Kubernetes calls a drain makes: list (nodes, pods), patch (cordon), post (eviction). */
export type DrainKubernetes = Pick<KubernetesClient, 'list' | 'patch' | 'post'>;

export interface DrainOptions {
  clock: Clock;
  /** The drain stops here with what is left (under the Lambda's own timeout). */
  deadline: Date;
  /** Called between rounds: records a lifecycle heartbeat when the hook would otherwise time out first. */
  beforeWait?: () => Promise<void>;
  signal?: AbortSignal;
}

export interface PodLeft {
  pod: string;
  reason: string;
}

export interface DrainResult {
  /** Was cordoned by this drain (false: it already was). */
  cordoned: boolean;
  evicted: string[];
  left: PodLeft[];
  /** DaemonSet and mirror pods, left on purpose. */
  skipped: { pod: string; reason: 'daemonset' | 'mirror' }[];
  finished: boolean;
}

// The Eviction API's answer when a PodDisruptionBudget forbids it now: 429 TooManyRequests, "Cannot evict pod as it
// would violate the pod's disruption budget." (Kubernetes docs, "API-initiated Eviction"; kubernetes/kubernetes#36409).
const PDB_BLOCKED = 'its PodDisruptionBudget allows no disruption now (the Eviction API answered 429)';

const CONFIRM_MS = 1_000;

export const podsOfNodePath = (nodeName: string) => `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${nodeName}`)}`;

/**
 * `kubectl drain --ignore-daemonsets` through the API: cordon (spec.unschedulable, a merge patch), then evict every
 * pod of the node through the policy/v1 Eviction subresource, which honours PodDisruptionBudgets. A 429 (a budget
 * allows no disruption now) is retried each round with backoff until the deadline; a pod already gone (404) is done.
 * An eviction the API forbids (403: eksops's RBAC lacks create on pods/eviction) stops the drain at once: retrying
 * cannot help. The pods left at the deadline are returned with the reason each was last refused.
 */
export async function drainNode(client: DrainKubernetes, node: Node, options: DrainOptions): Promise<DrainResult> {
  const name = node.metadata.name;
  const cordoned = node.spec?.unschedulable !== true;
  if (cordoned) await client.patch(`/api/v1/nodes/${encodeURIComponent(name)}`, { spec: { unschedulable: true } }, { type: 'merge', ...(options.signal ? { signal: options.signal } : {}) });

  const evicted = new Set<string>();
  const refused = new Map<string, string>();
  let skipped: DrainResult['skipped'] = [];
  for (let round = 0; ; round += 1) {
    const pods = (await client.list<Pod>(podsOfNodePath(name), options.signal ? { signal: options.signal } : {})).items;
    const decisions = pods.map(decidePod);
    skipped = decisions.flatMap((decision) => (decision.action === 'skip' ? [{ pod: podKey(decision.pod), reason: decision.reason }] : []));
    const waiting = decisions.filter((decision) => decision.action === 'await').map((decision) => podKey(decision.pod));
    const toEvict = decisions.filter((decision) => decision.action === 'evict').map((decision) => decision.pod);
    for (const key of waiting) refused.set(key, 'still terminating (its grace period has not ended)');
    for (const pod of toEvict) {
      const outcome = await evict(client, pod, options.signal);
      if (outcome === 'evicted' || outcome === 'gone') {
        evicted.add(podKey(pod));
        refused.delete(podKey(pod));
      } else refused.set(podKey(pod), outcome.reason);
    }
    // Pods still on the node: refused ones, and evicted ones still terminating (seen as `await` next round).
    const pending = [...waiting, ...toEvict.map(podKey).filter((key) => !evicted.has(key))];
    if (pending.length === 0 && toEvict.length === 0) return { cordoned, evicted: [...evicted], left: [], skipped, finished: true };
    // Everything just evicted: look again soon, to see the pods gone (or terminating).
    const wait = pending.length === 0 ? CONFIRM_MS : evictionBackoffMs(round);
    if (options.clock.now().getTime() + wait > options.deadline.getTime()) {
      return { cordoned, evicted: [...evicted], left: pending.map((pod) => ({ pod, reason: refused.get(pod) ?? 'still terminating' })), skipped, finished: false };
    }
    await options.beforeWait?.();
    await options.clock.sleep(wait, options.signal);
  }
}

type EvictionOutcome = 'evicted' | 'gone' | { reason: string };

async function evict(client: DrainKubernetes, pod: Pod, signal: AbortSignal | undefined): Promise<EvictionOutcome> {
  const { namespace, name } = pod.metadata;
  try {
    await client.post(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } }, signal ? { signal } : {});
    return 'evicted';
  } catch (error) {
    if (error instanceof KubernetesAccessError) throw error;
    if (error instanceof KubernetesStatusError && error.status === 404) return 'gone';
    if (error instanceof KubernetesStatusError && error.status === 429) return { reason: PDB_BLOCKED };
    // 500 "more than one PodDisruptionBudget", a 5xx, a timeout: retried next round, reported if it lasts.
    if (error instanceof KubernetesClientError) return { reason: error.message };
    throw error;
  }
}
