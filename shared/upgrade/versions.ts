/** Kubernetes minor versions as EKS names them ("1.34"). */
export function minorOf(version: string): number {
  const minor = Number(version.split('.')[1]);
  if (!Number.isInteger(minor)) throw new RangeError(`not a Kubernetes minor version: ${version}`);
  return minor;
}

export function nextMinor(version: string): string {
  return `1.${minorOf(version) + 1}`;
}

export function compareMinor(a: string, b: string): number {
  return minorOf(a) - minorOf(b);
}

/**
 * Kubernetes version skew policy: kubelets may be up to three minors older than the API server from 1.28 on
 * (two before), never newer (kubernetes.io/releases/version-skew-policy).
 */
export function maxKubeletSkew(controlPlaneVersion: string): number {
  return minorOf(controlPlaneVersion) >= 28 ? 3 : 2;
}

/** `v1.20.0-eksbuild.1` → [1, 20, 0, 1]: add-on versions compare by their numbers. */
export function addonVersionParts(version: string): number[] {
  return (version.match(/\d+/g) ?? []).map(Number);
}

export function compareAddonVersions(a: string, b: string): number {
  const left = addonVersionParts(a);
  const right = addonVersionParts(b);
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
