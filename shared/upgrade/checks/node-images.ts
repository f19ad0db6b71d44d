import type { ClusterSnapshot } from '../snapshot.ts';
import { minorOf } from '../versions.ts';
import type { Finding, HopContext } from './finding.ts';

/** EKS: Kubernetes 1.32 is the last version for which Amazon Linux 2 AMIs are released. */
export const LAST_AL2_MINOR = 32;

/** AMI families that stop at the target, and custom launch templates that eksops cannot move to a new AMI by itself. */
export function checkNodeImages(cluster: ClusterSnapshot, hop: HopContext): Finding[] {
  const findings: Finding[] = [];
  for (const nodegroup of cluster.nodegroups) {
    if (nodegroup.amiType?.startsWith('AL2_') && minorOf(hop.to) > LAST_AL2_MINOR) {
      findings.push({ check: 'al2-ami', severity: 'BLOCK', resource: `nodegroup/${nodegroup.name}`, message: `AMI type ${nodegroup.amiType} has no AMI for ${hop.to}`, evidence: `amiType=${nodegroup.amiType}`, remedy: 'move the node group to AL2023 or Bottlerocket (a new node group) before this hop' });
    }
    if (nodegroup.launchTemplate && nodegroup.amiType === 'CUSTOM') {
      findings.push({ check: 'launch-template', severity: 'WARN', resource: `nodegroup/${nodegroup.name}`, message: `custom AMI in launch template ${nodegroup.launchTemplate.name ?? nodegroup.launchTemplate.id} version ${nodegroup.launchTemplate.version ?? '$Default'}`, evidence: 'amiType=CUSTOM', remedy: `before the node-group stage, publish a launch template version with an AMI for ${hop.to} and make it the default: eksops updates the group to the template's default version` });
    }
  }
  return findings;
}
