import { type KubernetesClient, KubernetesClientError, listPodDisruptionBudgets, type PodDisruptionBudget } from '../k8s/client.ts';
import type { PdbObservation, PdbSnapshot } from './checks/pod-disruption-budgets.ts';

type Selector = PodDisruptionBudget['spec']['selector'];

/** A label selector as kubectl prints it; `''` for the empty selector (policy/v1: every pod of the namespace). */
export function formatSelector(selector: Selector): string | undefined {
  if (selector === undefined || selector === null) return undefined;
  const labels = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  const expressions = (selector.matchExpressions ?? []).map((expression) => {
    switch (expression.operator) {
      case 'In':
        return `${expression.key} in (${(expression.values ?? []).join(',')})`;
      case 'NotIn':
        return `${expression.key} notin (${(expression.values ?? []).join(',')})`;
      case 'Exists':
        return expression.key;
      case 'DoesNotExist':
        return `!${expression.key}`;
      default:
        return `${expression.key} ${expression.operator}`;
    }
  });
  return [...labels, ...expressions].join(',');
}

export function toPdbSnapshot(pdb: PodDisruptionBudget): PdbSnapshot {
  const status = pdb.status ?? {};
  const selector = formatSelector(pdb.spec?.selector);
  return {
    namespace: pdb.metadata.namespace,
    name: pdb.metadata.name,
    ...(pdb.spec?.minAvailable !== undefined ? { minAvailable: pdb.spec.minAvailable } : {}),
    ...(pdb.spec?.maxUnavailable !== undefined ? { maxUnavailable: pdb.spec.maxUnavailable } : {}),
    ...(selector !== undefined ? { selector } : {}),
    ...(pdb.spec?.unhealthyPodEvictionPolicy ? { unhealthyPodEvictionPolicy: pdb.spec.unhealthyPodEvictionPolicy } : {}),
    disruptionsAllowed: status.disruptionsAllowed ?? 0,
    currentHealthy: status.currentHealthy ?? 0,
    desiredHealthy: status.desiredHealthy ?? 0,
    expectedPods: status.expectedPods ?? 0,
  };
}

/**
 * The PDBs of a cluster as the snapshot holds them. A failure of the cluster API (access, TLS, timeout, an odd answer)
 * becomes `{ error, remedy }` so the planner reports it as a WARN instead of failing the pre-flight; anything else
 * (a bug) is thrown. `client` may be a function that connects: a cluster it cannot connect to (no endpoint or CA
 * yet) is reported the same way.
 */
export async function observePodDisruptionBudgets(client: KubernetesClient | (() => KubernetesClient), options: { pageSize?: number; maxItems?: number; signal?: AbortSignal } = {}): Promise<PdbObservation> {
  try {
    const listed = await listPodDisruptionBudgets(typeof client === 'function' ? client() : client, options);
    const items = listed.items.map(toPdbSnapshot);
    return listed.truncated ? { items, truncatedAt: listed.maxItems } : items;
  } catch (error) {
    if (error instanceof KubernetesClientError) return { error: `${error.name}: ${error.message}`, remedy: error.remedy };
    throw error;
  }
}
