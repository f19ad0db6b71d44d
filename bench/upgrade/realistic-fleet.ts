import { SandboxEksAddons } from '../../local/account/services/eks-addons.ts';
import type { Sandbox } from '../../local/sandbox.ts';
import { seedUpgradeFleet } from '../../local/scenarios/upgrade-fleet.ts';

/** A small deterministic generator: the same "random" durations every run, so runs compare. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * One hop of a cluster with 4 add-ons and `nodegroups` node groups at realistic durations: the control
 * plane between 10 and 45 minutes, add-ons 2 to 8, node groups of 2 to 12 nodes (so 36 minutes to hours,
 * by drain batches), each drain batch 5 to 12 minutes.
 */
export function seedRealisticFleet(sandbox: Sandbox, nodegroups: number, random: () => number): void {
  seedUpgradeFleet(sandbox, 'prod-eu', { nodegroups, desiredSize: 2 });
  const { aws } = sandbox;
  aws.services.eks.durations.controlPlaneMs = Math.round((10 + random() * 35) * 60_000);
  aws.account.service(SandboxEksAddons).durations.updateMs = Math.round((2 + random() * 6) * 60_000);
  aws.services.eksNodegroups.durations.perBatchMs = Math.round((5 + random() * 7) * 60_000);
  const names = ['system', 'web', 'batch', 'gpu', ...Array.from({ length: Math.max(0, nodegroups - 4) }, (_, index) => `pool-${String(index + 4).padStart(2, '0')}`)];
  for (const name of names.slice(0, nodegroups)) {
    const nodegroup = aws.services.eksNodegroups.nodegroupOf(aws.here, 'prod-eu', name);
    nodegroup.scalingConfig = { minSize: 1, maxSize: 24, desiredSize: 2 + Math.floor(random() * 11) };
  }
}
