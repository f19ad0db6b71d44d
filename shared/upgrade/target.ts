import type { OfferedVersion } from './snapshot.ts';
import { compareMinor, nextMinor } from './versions.ts';

/**
 * Where a run goes and what it must read to get there, decided once for the plan, the approval message and
 * every step: the requested version (the request's, else upgrade.targetVersion), else the newest version EKS
 * offers; and the add-on catalogs and recommended AMIs of every version from the cluster's up to that target
 * (each hop is planned, checked and executed with its own catalog, never without one).
 */
export interface UpgradeTarget {
  target: string;
  /** The cluster's version, then every offered minor up to the target, oldest first. */
  catalogVersions: string[];
}

export function upgradeTarget(current: string, offered: readonly OfferedVersion[], requested: string | undefined): UpgradeTarget {
  const newest = offered.map((entry) => entry.version).sort(compareMinor).at(-1);
  const target = requested ?? (newest && compareMinor(newest, current) > 0 ? newest : current);
  const catalogVersions = [current];
  for (let next = nextMinor(current); compareMinor(next, target) <= 0; next = nextMinor(next)) {
    if (offered.some((entry) => entry.version === next)) catalogVersions.push(next);
  }
  return { target, catalogVersions };
}
