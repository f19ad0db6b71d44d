import type { Finding } from './checks/finding.ts';
import type { AddonCatalog, ClusterSnapshot } from './snapshot.ts';
import type { AddonChange } from './stage.ts';
import { addonVersionParts, compareAddonVersions } from './versions.ts';

/** How add-ons move at a cluster version, and before a hop: which versions, in which steps. */

/** How far one UpdateAddon may move an add-on. */
export type AddonStepRule = 'one-minor' | 'any';

/** For an add-on not in {@link ADDON_STEP_RULES}: its user guide page sets no limit, so one update goes straight to the target. */
export const DEFAULT_ADDON_STEP_RULE: AddonStepRule = 'any';

const AWS_ADDONS_PAGE = 'https://docs.aws.amazon.com/eks/latest/userguide/workloads-add-ons-available-eks.html';

/**
 * The add-ons whose EKS user guide page limits one update, with the page's words. Checked against "AWS add-ons"
 * (each add-on's "Update information"): only these two say so; CoreDNS, kube-proxy (the Kubernetes skew policy,
 * handled by the kube-proxy stage), the CSI drivers and the agents set no step limit.
 */
export const ADDON_STEP_RULES: Readonly<Record<string, { rule: AddonStepRule; source: string }>> = {
  // "You can only update one minor version at a time. For example, if your current version is 1.28.x-eksbuild.y and
  // you want to update to 1.30.x-eksbuild.y, then you must update your current version to 1.29.x-eksbuild.y and then
  // update it again to 1.30.x-eksbuild.y." Also managing-vpc-cni.html: "We recommend that you update one minor version at a time."
  'vpc-cni': { rule: 'one-minor', source: `${AWS_ADDONS_PAGE}#add-ons-vpc-cni-update-information` },
  // The same words, for the EKS Pod Identity Agent.
  'eks-pod-identity-agent': { rule: 'one-minor', source: `${AWS_ADDONS_PAGE}#add-ons-pod-id-update-information` },
};

export function addonStepRule(name: string): AddonStepRule {
  return ADDON_STEP_RULES[name]?.rule ?? DEFAULT_ADDON_STEP_RULE;
}

/** What moves now, and what cannot move (with why). */
export interface AddonSteps {
  changes: AddonChange[];
  findings: Finding[];
}

/** The add-on the kube-proxy stage moves after the node groups: it must not be newer than the kubelets. */
const KUBE_PROXY = 'kube-proxy';

/**
 * The versions an add-on passes through from `current` to `goal`, using only versions `offered` lists. A one-minor
 * add-on steps to the newest build of the next minor (never past the goal); when the catalog lists no build of the
 * next minor, the walk stops there: `gap` names the missing minor. Jumping over it to the next minor that exists
 * would be exactly the multi-minor update the documentation forbids ("you must update your current version to
 * 1.29… and then update it again to 1.30…"), so a gap stops the add-on rather than skipping.
 */
export function addonWalk(name: string, current: string, goal: string, offered: readonly string[]): { path: string[]; gap?: string } {
  const path: string[] = [];
  let at = current;
  while (compareAddonVersions(goal, at) > 0) {
    const next = nextStepVersion(name, at, goal, offered);
    if ('gap' in next) return { path, gap: next.gap };
    path.push(next.to);
    at = next.to;
  }
  return { path };
}

function nextStepVersion(name: string, current: string, goal: string, offered: readonly string[]): { to: string } | { gap: string } {
  if (addonStepRule(name) === 'any') return { to: goal };
  const [major = 0, minor = 0] = addonVersionParts(current);
  const [goalMajor = 0, goalMinor = 0] = addonVersionParts(goal);
  if (goalMajor === major && goalMinor === minor) return { to: goal };
  // The next minor is x.(y+1); across a major boundary (no later minor of this major is offered), (x+1).0.
  const laterMinorOfMajor = offered.some((version) => {
    const [candidateMajor, candidateMinor = 0] = addonVersionParts(version);
    return candidateMajor === major && candidateMinor > minor;
  });
  const [nextMajor, nextMinor] = goalMajor === major || laterMinorOfMajor ? [major, minor + 1] : [major + 1, 0];
  if (goalMajor === nextMajor && goalMinor === nextMinor) return { to: goal };
  const builds = offered.filter((version) => {
    const [candidateMajor, candidateMinor = 0] = addonVersionParts(version);
    return candidateMajor === nextMajor && candidateMinor === nextMinor && compareAddonVersions(version, goal) < 0;
  });
  const newest = builds.slice().sort(compareAddonVersions).at(-1);
  return newest ? { to: newest } : { gap: `v${nextMajor}.${nextMinor}` };
}

function catalogOf(cluster: ClusterSnapshot, kubernetesVersion: string): AddonCatalog | undefined {
  return cluster.addonCatalogs.find((candidate) => candidate.kubernetesVersion === kubernetesVersion);
}

/** The default EKS installs for that Kubernetes version, else the newest it lists. */
function defaultOf(offered: { versions: string[]; defaultVersion?: string } | undefined): string | undefined {
  return offered?.defaultVersion ?? offered?.versions.slice().sort(compareAddonVersions).at(-1);
}

/**
 * The version an add-on moves to next at a catalog's Kubernetes version: toward the default EKS installs for it,
 * one minor at a time for the add-ons that require it. At or past the default: the default (callers move only to a
 * newer version). Undefined when a gap in the catalog stops it (see {@link addonSteps} for the finding).
 */
export function addonTarget(name: string, current: string, catalog: AddonCatalog): string | undefined {
  const offered = catalog.addons[name];
  const goal = defaultOf(offered);
  if (!offered || !goal) return undefined;
  if (compareAddonVersions(goal, current) <= 0) return goal;
  return addonWalk(name, current, goal, offered.versions).path[0];
}

/** The add-on stage at the cluster's version: each included add-on one step toward its default, and the ones a gap stops. */
export function addonSteps(cluster: ClusterSnapshot, include: (name: string) => boolean): AddonSteps {
  const catalog = catalogOf(cluster, cluster.version);
  if (!catalog) return { changes: [], findings: [] };
  const changes: AddonChange[] = [];
  const findings: Finding[] = [];
  for (const addon of cluster.addons.filter((candidate) => include(candidate.name))) {
    const offered = catalog.addons[addon.name];
    const goal = defaultOf(offered);
    if (!offered || !goal || compareAddonVersions(goal, addon.version) <= 0) continue;
    const walk = addonWalk(addon.name, addon.version, goal, offered.versions);
    const to = walk.path[0];
    if (to) changes.push({ name: addon.name, from: addon.version, to });
    else if (walk.gap) findings.push(gapFinding(addon.name, addon.version, goal, walk.gap, cluster.version, offered.versions, 'WARN', `it stays at ${addon.version}, which EKS lists for ${cluster.version}`));
  }
  return { changes, findings };
}

/** The changes of {@link addonSteps}: what plan.ts starts as the add-on and kube-proxy stages. */
export function addonChanges(cluster: ClusterSnapshot, include: (name: string) => boolean): AddonChange[] {
  return addonSteps(cluster, include).changes;
}

/**
 * Before the control plane goes to `to`: every add-on whose version EKS does not list for `to` moves, at the
 * cluster's current version, to a version listed for both (EKS Best Practices, cluster upgrades: upgrade add-ons to
 * versions compatible with both the current and the target Kubernetes version; eksup marks it required). Never a
 * downgrade; one step per call (one minor at a time where the add-on requires it: call again after the stage).
 * kube-proxy is left to the kube-proxy stage after the node groups: an older kube-proxy is within the Kubernetes
 * skew policy, one newer than the kubelets is not. A BLOCK finding names each add-on that cannot be made compatible.
 */
export function preHopAddonChanges(cluster: ClusterSnapshot, to: string): AddonSteps {
  const targetCatalog = catalogOf(cluster, to);
  // No catalog for the target: checks/addon-compatibility.ts blocks the hop (nothing here could be decided).
  if (!targetCatalog) return { changes: [], findings: [] };
  const currentCatalog = catalogOf(cluster, cluster.version);
  const changes: AddonChange[] = [];
  const findings: Finding[] = [];
  for (const addon of cluster.addons) {
    if (addon.name === KUBE_PROXY) continue;
    const forTarget = targetCatalog.addons[addon.name]?.versions ?? [];
    // None at all for the target: checks/addon-compatibility.ts blocks ("no version supports").
    if (forTarget.length === 0 || forTarget.includes(addon.version)) continue;
    const forCurrent = currentCatalog?.addons[addon.name]?.versions ?? [];
    const goal = preHopGoal(addon.version, forCurrent, forTarget, targetCatalog.addons[addon.name]?.defaultVersion);
    if (!goal) {
      findings.push({
        check: 'addon-compatibility',
        severity: 'BLOCK',
        resource: `addon/${addon.name}`,
        message: `${addon.name} ${addon.version} is not listed for Kubernetes ${to}, and no newer version is listed for both ${cluster.version} and ${to}: the control plane cannot move before the add-on can`,
        evidence: `offered for ${cluster.version}: ${forCurrent.join(', ') || (currentCatalog ? 'none' : 'not read')}; offered for ${to}: ${forTarget.join(', ')}`,
        remedy: `wait until EKS lists a version of ${addon.name} for both ${cluster.version} and ${to} (DescribeAddonVersions), or replace the add-on by hand (remove it, upgrade, create it at a version for ${to})`,
      });
      continue;
    }
    const walk = addonWalk(addon.name, addon.version, goal, forCurrent);
    const step = walk.path[0];
    if (step) changes.push({ name: addon.name, from: addon.version, to: step });
    else if (walk.gap) findings.push(gapFinding(addon.name, addon.version, goal, walk.gap, cluster.version, forCurrent, 'BLOCK', `the hop to ${to} waits: ${addon.version} is not listed for ${to}`));
  }
  return { changes, findings };
}

/**
 * The version listed for both Kubernetes versions that the add-on moves to before the hop: the newest not past the
 * target's default (so the stage after the hop has nothing to undo), else the oldest past it; only newer than now.
 */
function preHopGoal(current: string, forCurrent: readonly string[], forTarget: readonly string[], targetDefault: string | undefined): string | undefined {
  const both = forCurrent.filter((version) => forTarget.includes(version) && compareAddonVersions(version, current) > 0).sort(compareAddonVersions);
  const upToDefault = targetDefault ? both.filter((version) => compareAddonVersions(version, targetDefault) <= 0) : both;
  return upToDefault.at(-1) ?? both[0];
}

/** The whole pre-hop path of one add-on (for the pre-flight's message): each version it passes, in order. */
export function preHopAddonPath(cluster: ClusterSnapshot, name: string, to: string): string[] {
  const addon = cluster.addons.find((candidate) => candidate.name === name);
  const forTarget = catalogOf(cluster, to)?.addons[name];
  if (!addon || !forTarget) return [];
  const forCurrent = catalogOf(cluster, cluster.version)?.addons[name]?.versions ?? [];
  const goal = preHopGoal(addon.version, forCurrent, forTarget.versions, forTarget.defaultVersion);
  return goal ? addonWalk(name, addon.version, goal, forCurrent).path : [];
}

function gapFinding(name: string, current: string, goal: string, gap: string, kubernetesVersion: string, offered: readonly string[], severity: 'WARN' | 'BLOCK', consequence: string): Finding {
  const source = ADDON_STEP_RULES[name]?.source ?? AWS_ADDONS_PAGE;
  return {
    check: 'addon-step-gap',
    severity,
    resource: `addon/${name}`,
    message: `${name} moves one minor version at a time, and EKS lists no ${gap} build for Kubernetes ${kubernetesVersion}: it cannot go from ${current} toward ${goal} without skipping a minor; ${consequence}`,
    evidence: `offered for ${kubernetesVersion}: ${offered.join(', ')}; rule: ${source}`,
    remedy: `update ${name} through ${gap} by hand if EKS offers it (aws eks describe-addon-versions --addon-name ${name}), or re-create the add-on at ${goal} (delete-addon --preserve, then create-addon: a new add-on is not an update) after checking its configuration`,
  };
}
