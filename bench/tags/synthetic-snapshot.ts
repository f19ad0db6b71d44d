import type { ClusterObservation } from '../../shared/tags/model.ts';

/** A snapshot of `instances` instances (25 per group), half drifted, for timing the plan without AWS. */
export function syntheticCluster(instances: number): ClusterObservation {
  const perGroup = 25;
  const groups = Math.ceil(instances / perGroup);
  const snapshot: ClusterObservation = { name: 'bench', region: 'eu-west-1', accountId: '111122223333', requiredTags: { 'cost-center': 'cc-1' }, namedSelfManaged: [], nodegroups: [], asgs: [], instances: [], attachments: [], pendingNodegroups: [] };
  const nodegroups = [];
  const asgs = [];
  const list = [];
  const attachments = [];
  for (let g = 0; g < groups; g += 1) {
    const asgName = `eks-ng-${g}`;
    nodegroups.push({ name: `ng-${g}`, status: 'ACTIVE', tags: { team: `t${g % 9}`, app: `a${g}` }, labels: { pool: `p${g % 4}` }, taints: [], asgNames: [asgName], instanceTypes: ['m6g.large'] });
    const ids = [];
    for (let i = 0; i < perGroup && list.length < instances; i += 1) {
      const id = `i-${g}-${i}`;
      ids.push(id);
      const converged = i % 2 === 0;
      const tags = { 'aws:autoscaling:groupName': asgName, ...(converged ? { team: `t${g % 9}`, app: `a${g}`, 'cost-center': 'cc-1', 'eksops:managed': 'app,cost-center,team' } : {}) };
      list.push({ id, asgName, tags, metadataTags: false });
      attachments.push({ id: `vol-${g}-${i}`, kind: 'volume' as const, instanceId: id, tags: {} });
    }
    asgs.push({ name: asgName, kind: 'managed' as const, nodegroup: `ng-${g}`, tags: {}, availabilityZones: ['eu-west-1a'], suspendedProcesses: [], instanceIds: ids });
  }
  return { ...snapshot, nodegroups, asgs, instances: list, attachments };
}

/**
 * The baseline: a plain loop over the same snapshot that compares each instance's and volume's tags with a
 * fixed desired map. What any tagger must at least do; the plan's extra work (rules, records, lints) is the ratio.
 */
export function plainLoop(snapshot: ClusterObservation): number {
  const desired = { team: 't0', app: 'a0', 'cost-center': 'cc-1' };
  let differing = 0;
  for (const resource of [...snapshot.instances, ...snapshot.attachments]) {
    for (const [key, value] of Object.entries(desired)) if (resource.tags[key] !== value) differing += 1;
  }
  return differing;
}
