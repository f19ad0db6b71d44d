/**
 * Tag keys with a meaning outside eksops, and the rules attached to them.
 *
 * - `aws:` is reserved: AWS refuses writes and the keys do not count toward the 50-tag limit
 *   (Tagging AWS resources, "Tag naming limits and requirements").
 * - `eks:` keys are EKS's own on managed node groups' ASGs and instances; copying them to a self-managed
 *   ASG would make EKS tooling take it for a managed node group.
 * - Karpenter and EKS Auto Mode own their instances (karpenter.sh/nodepool, karpenter.sh/nodeclaim,
 *   karpenter.k8s.aws/ec2nodeclass; Auto Mode: eks:eks-cluster-name, eks:kubernetes-node-pool-name): writing
 *   their ownership tags would make Karpenter adopt or garbage-collect instances it did not launch.
 * - `kubernetes.io/cluster/<name>` tells the cloud provider and the load-balancer controller which cluster a
 *   resource belongs to; an instance carrying two is ambiguous and the controllers pick one arbitrarily.
 */
export const CLUSTER_TAG_PREFIX = 'kubernetes.io/cluster/';
export const clusterTag = (cluster: string) => `${CLUSTER_TAG_PREFIX}${cluster}`;

export const AUTOSCALER_ENABLED_TAG = 'k8s.io/cluster-autoscaler/enabled';
export const autoscalerClusterTag = (cluster: string) => `k8s.io/cluster-autoscaler/${cluster}`;
export const NODE_TEMPLATE_PREFIX = 'k8s.io/cluster-autoscaler/node-template/';
export const NODE_TEMPLATE_RESOURCES_PREFIX = `${NODE_TEMPLATE_PREFIX}resources/`;

/** Where eksops records the keys it manages on a resource (no `/`: readable from instance metadata too). */
export const MANAGED_RECORD_TAG = 'eksops:managed';

export const ASG_NAME_TAG = 'aws:autoscaling:groupName';
export const NODEGROUP_NAME_TAG = 'eks:nodegroup-name';
export const EKS_CLUSTER_NAME_TAG = 'eks:cluster-name';

const KARPENTER_PREFIXES = ['karpenter.sh/', 'karpenter.k8s.aws/'];
const AUTO_MODE_KEYS = ['eks:eks-cluster-name', 'eks:kubernetes-node-pool-name', 'eks:kubernetes-node-class-name'];

export const isAwsReserved = (key: string) => key.toLowerCase().startsWith('aws:');
export const isEksopsKey = (key: string) => key.toLowerCase().startsWith('eksops:');
export const isEksKey = (key: string) => key.startsWith('eks:');
export const isKarpenterKey = (key: string) => KARPENTER_PREFIXES.some((prefix) => key.startsWith(prefix));

/** Instances that Karpenter or EKS Auto Mode launched: eksops leaves them alone. */
export function ownedByKarpenterOrAutoMode(tags: Readonly<Record<string, string>>): boolean {
  return Object.keys(tags).some((key) => isKarpenterKey(key) || AUTO_MODE_KEYS.includes(key));
}

/** EC2 and Auto Scaling: at most 50 user tags per resource; `aws:` tags do not count. */
export const MAX_USER_TAGS = 50;
/** From this many user tags on, a resource is reported as near the limit. */
export const NEAR_LIMIT = 45;

export function userTagCount(keys: Iterable<string>): number {
  let count = 0;
  for (const key of keys) if (!isAwsReserved(key)) count += 1;
  return count;
}
