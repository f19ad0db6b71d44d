import type { AddonCatalog, ClusterSnapshot } from './snapshot.ts';
import type { AddonChange } from './stage.ts';
import { addonVersionParts, compareAddonVersions } from './versions.ts';

/** How add-ons move at a cluster version: which versions, in which steps. */

const VPC_CNI = 'vpc-cni';

export function addonChanges(cluster: ClusterSnapshot, include: (name: string) => boolean): AddonChange[] {
  const catalog = cluster.addonCatalogs.find((candidate) => candidate.kubernetesVersion === cluster.version);
  if (!catalog) return [];
  return cluster.addons.filter((addon) => include(addon.name)).flatMap((addon) => {
    const to = addonTarget(addon.name, addon.version, catalog);
    return to && compareAddonVersions(to, addon.version) > 0 ? [{ name: addon.name, from: addon.version, to }] : [];
  });
}

/**
 * The version an add-on moves to at the cluster's version: the default EKS installs for it. vpc-cni moves
 * one minor version at a time (AWS: "update only one minor version at a time"), so it may take a few stages.
 */
export function addonTarget(name: string, current: string, catalog: AddonCatalog): string | undefined {
  const offered = catalog.addons[name];
  const target = offered?.defaultVersion ?? offered?.versions.slice().sort(compareAddonVersions).at(-1);
  if (!offered || !target || name !== VPC_CNI) return target;
  const [major, minor] = addonVersionParts(current);
  const nextMinorVersions = offered.versions.filter((version) => {
    const [candidateMajor, candidateMinor] = addonVersionParts(version);
    return candidateMajor === major && candidateMinor === (minor ?? 0) + 1;
  });
  const oneStep = nextMinorVersions.sort(compareAddonVersions).at(-1);
  return oneStep && compareAddonVersions(oneStep, target) < 0 ? oneStep : target;
}
