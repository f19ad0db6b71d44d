import { DescribeUpdateCommand, type ErrorDetail, UpdateAddonCommand, UpdateClusterVersionCommand, UpdateNodegroupVersionCommand, type Update } from '@aws-sdk/client-eks';
import type { UpgradeClients } from './eks-port.ts';
import type { UpgradeSettings } from './settings.ts';
import type { NodegroupChange, Stage } from './stage.ts';

export interface StartedUpdate {
  id: string;
  nodegroup?: string;
  addon?: string;
}

/**
 * Starts a stage's EKS updates. Throttling is retried by the SDK; ResourceInUseException (an update
 * already running) surfaces by name for the state machine to retry later. `clientRequestToken` makes a
 * repeated call after a lost response idempotent on EKS's side.
 */
export async function startStage(clients: UpgradeClients, clusterName: string, stage: Stage, settings: UpgradeSettings, token: string): Promise<StartedUpdate[]> {
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
  }
}

export interface UpdateOutcome {
  update: StartedUpdate;
  status: NonNullable<Update['status']>;
  errors: ErrorDetail[];
}

/** EKS emits no completion event: the state of every update of the stage, from DescribeUpdate. */
export async function pollUpdates(clients: UpgradeClients, clusterName: string, updates: readonly StartedUpdate[]): Promise<UpdateOutcome[]> {
  return Promise.all(
    updates.map(async (update) => {
      const described = (await clients.eks.send(new DescribeUpdateCommand({ name: clusterName, updateId: update.id, ...(update.nodegroup ? { nodegroupName: update.nodegroup } : {}), ...(update.addon ? { addonName: update.addon } : {}) }))).update;
      return { update, status: described?.status ?? 'InProgress', errors: described?.errors ?? [] };
    }),
  );
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
