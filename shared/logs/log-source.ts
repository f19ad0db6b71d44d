/**
 * Where a CloudWatch Logs event came from, read from the names EKS gives its log group and streams:
 * `/aws/eks/<cluster>/cluster`, streams `kube-apiserver-audit-<hash>`, `kube-apiserver-<hash>`, …
 */
export type ControlPlaneLogType = 'api' | 'audit' | 'authenticator' | 'controllerManager' | 'cloudControllerManager' | 'scheduler' | 'unknown';

// Order matters: `kube-apiserver-audit-` is also a `kube-apiserver-` prefix.
const STREAM_PREFIXES: readonly (readonly [string, ControlPlaneLogType])[] = [
  ['kube-apiserver-audit-', 'audit'],
  ['kube-apiserver-', 'api'],
  ['authenticator-', 'authenticator'],
  ['kube-controller-manager-', 'controllerManager'],
  ['kube-scheduler-', 'scheduler'],
  ['cloud-controller-manager-', 'cloudControllerManager'],
];

export function logTypeOfStream(logStream: string): ControlPlaneLogType {
  for (const [prefix, type] of STREAM_PREFIXES) if (logStream.startsWith(prefix)) return type;
  return 'unknown';
}

const EKS_LOG_GROUP = /^\/aws\/eks\/([0-9A-Za-z][A-Za-z0-9_-]{0,99})\/cluster$/;

/** The cluster of an EKS control-plane log group, or undefined for any other log group. */
export function clusterOfLogGroup(logGroup: string): string | undefined {
  return EKS_LOG_GROUP.exec(logGroup)?.[1];
}

export function eksLogGroupName(cluster: string): string {
  return `/aws/eks/${cluster}/cluster`;
}

/**
 * The EKS logging type (the `logTypes` of the configuration and of UpdateClusterConfig) a stream belongs to:
 * EKS ships cloud-controller-manager logs when controllerManager logging is on.
 */
export function configLogTypeOf(type: ControlPlaneLogType): string {
  return type === 'cloudControllerManager' ? 'controllerManager' : type;
}
