/**
 * What to do about each EKS update error code (EKS API reference, ErrorDetail; user guide, "Managed node
 * update behavior" and "Troubleshoot"), and about each way a self-managed group's instance refresh ends short
 * of Successful (Auto Scaling user guide, "Instance refresh", InstanceRefresh.Status), for the failure message
 * in Slack.
 */
const REMEDIES: Record<string, string> = {
  PodEvictionFailure: 'a PodDisruptionBudget (or a pod without a controller) blocked the drain: relax the PDB and start again; or, accepting the disruption, run `aws eks update-nodegroup-version --force` for that node group',
  NodeCreationFailure: 'new nodes did not join: check the AMI, the node role, the security groups and the instance type capacity',
  InsufficientFreeAddresses: 'the subnets have too few free IP addresses: free some, add subnets, or lower updateConfig.maxUnavailable',
  SubnetNotFound: 'a subnet of the cluster or node group was deleted: restore it or update the configuration',
  SecurityGroupNotFound: 'a security group was deleted: restore it',
  EniLimitReached: 'the account reached its ENI limit: raise the quota',
  IpNotAvailable: 'no IP address available for the new nodes: free addresses in the subnets',
  AccessDenied: 'the cluster or node role lost a permission EKS needs: restore its policies',
  OperationNotPermitted: 'EKS refused the operation for this resource: see the error message',
  VpcIdNotFound: 'the cluster VPC is gone: the cluster cannot be updated',
  ClusterUnreachable: 'EKS cannot reach the cluster API: check endpoint access and the cluster security group',
  AsgInstanceLaunchFailures: 'the Auto Scaling group cannot launch instances: check capacity and the launch template',
  InstanceLimitExceeded: 'the account hit its EC2 instance quota: raise it',
  ConfigurationConflict: 'the add-on has fields managed elsewhere: re-run with addonResolveConflicts OVERWRITE, or align the configuration',
  AdmissionRequestDenied: 'an admission webhook refused the add-on objects: fix the webhook policy',
  UnsupportedAddonModification: 'the add-on was modified outside EKS: revert the changes or resolve conflicts',
  K8sResourceNotFound: 'a Kubernetes object the add-on needs is missing: reinstall the add-on',
  InstanceRefreshFailed:
    'the instance refresh stopped (the reason above; the scaling activities of the group, DescribeScalingActivities, say which launch or health check failed): fix the cause and re-run; the group stays on its old launch template version, and replaced instances are kept (SkipMatching)',
  InstanceRefreshCancelled: 'someone cancelled the instance refresh: re-run to refresh the group again, or refresh it yourself',
  InstanceRefreshRollbackSuccessful: 'the instance refresh was rolled back: the group is back on its previous launch template and AMI; find why (the reason above) before re-running',
  InstanceRefreshRollbackFailed: 'the rollback of the instance refresh failed: the group runs a mix of AMIs; see its scaling activities, fix the cause and re-run',
  InstanceRefreshNotFound: 'the instance refresh is gone (the group was deleted?): re-run to re-read the self-managed groups',
};

export function remedyFor(errorCode: string): string {
  return REMEDIES[errorCode] ?? 'see the update in the EKS console (DescribeUpdate) for details';
}

/**
 * EKS version rollback (user guide, "Roll back a cluster to a previous Kubernetes version"): the control
 * plane can go back one minor version within 7 days of an in-place upgrade; node groups (managed ones with
 * UpdateNodegroupVersion to the previous version), add-ons and self-managed nodes are the owner's to roll
 * back first. eksops never rolls back by itself: the failure message names the command.
 */
export function controlPlaneRollback(clusterName: string, previousVersion: string): string {
  return `within 7 days of the hop, and only once no node runs the newer version: \`aws eks update-cluster-version --name ${clusterName} --kubernetes-version ${previousVersion}\` (see the EKS user guide, "Roll back a cluster to a previous Kubernetes version")`;
}
