import { UpdateAddonCommand, UpdateClusterVersionCommand, UpdateNodegroupVersionCommand, type Update } from '@aws-sdk/client-eks';
import { refreshGroup } from './act-refresh.ts';
import type { UpgradeClients } from './clients.ts';
import type { UpgradeSettings } from './settings.ts';
import type { NodegroupChange, Stage } from './stage.ts';

/** What a stage started: an EKS update (of the cluster, a node group or an add-on), or a group's instance refresh. */
export interface StartedUpdate {
  id: string;
  nodegroup?: string;
  addon?: string;
  autoScalingGroup?: string;
  /** The cluster's on-demand insights refresh (StartInsightsRefresh): one per cluster, no id of its own. */
  insightsRefresh?: true;
}

/**
 * Starts a stage's EKS updates or instance refreshes. Throttling is retried by the SDK; ResourceInUseException
 * (an update already running) surfaces by name for the state machine to retry later. `clientRequestToken` makes
 * a repeated call after a lost response idempotent on EKS's side (act-refresh.ts: the same for refreshes).
 */
export async function startStage(clients: UpgradeClients, clusterName: string, stage: Stage, settings: UpgradeSettings, token: string, options: { drainSelfManaged: boolean } = { drainSelfManaged: true }): Promise<StartedUpdate[]> {
  const { eks } = clients;
  switch (stage.kind) {
    case 'control-plane': {
      const { update } = await eks.send(new UpdateClusterVersionCommand({ name: clusterName, version: stage.to, clientRequestToken: `${token}-cp-${stage.to}` }));
      return [{ id: required(update).id ?? '' }];
    }
    case 'addons':
    case 'kube-proxy': {
      const started: StartedUpdate[] = [];
      for (const addon of stage.addons) {
        const { update } = await eks.send(
          new UpdateAddonCommand({ clusterName, addonName: addon.name, addonVersion: addon.to, resolveConflicts: settings.addonResolveConflicts, clientRequestToken: `${token}-${addon.name}-${addon.to}` }),
        );
        started.push({ id: required(update).id ?? '', addon: addon.name });
      }
      return started;
    }
    case 'nodegroups': {
      const started: StartedUpdate[] = [];
      for (const nodegroup of stage.nodegroups) {
        const { update } = await eks.send(
          new UpdateNodegroupVersionCommand({
            clusterName,
            nodegroupName: nodegroup.name,
            // A custom AMI decides the version itself: EKS refuses an explicit one then.
            ...(nodegroup.customAmi ? {} : { version: nodegroup.to }),
            ...(nodegroup.launchTemplate ? { launchTemplate: launchTemplateFor(nodegroup) } : {}),
            clientRequestToken: `${token}-${nodegroup.name}-${nodegroup.to}`,
          }),
        );
        started.push({ id: required(update).id ?? '', nodegroup: nodegroup.name });
      }
      return started;
    }
    case 'self-managed': {
      const started: StartedUpdate[] = [];
      for (const group of stage.groups) started.push({ id: await refreshGroup(clients, group, { drain: options.drainSelfManaged }), autoScalingGroup: group.name });
      return started;
    }
  }
}

/**
 * EKS-optimized AMI through a launch template: the same template version, EKS picks the AMI of the new
 * Kubernetes version. Custom AMI: the template's default version (no version given, EKS uses the default),
 * where the owner published the AMI for the new version, as pre-flight asks.
 */
function launchTemplateFor(nodegroup: NodegroupChange): { id?: string; name?: string; version?: string } {
  const template = nodegroup.launchTemplate ?? {};
  const reference = template.id ? { id: template.id } : template.name ? { name: template.name } : {};
  return nodegroup.customAmi ? reference : { ...reference, ...(template.version ? { version: template.version } : {}) };
}

function required(update: Update | undefined): Update {
  if (!update?.id) throw new Error('EKS answered without an update');
  return update;
}
