/**
 * Container image references as Kubernetes pod specs hold them, split the way the distribution reference grammar
 * (github.com/distribution/reference, reference.go) does: `[registry[:port]/]repository[:tag][@digest]`. The first
 * path component is a registry only when it has a `.` or a `:`, or is `localhost`; otherwise the image is on Docker
 * Hub (`amazon/aws-efs-csi-driver:v1.7.0` is `docker.io/amazon/aws-efs-csi-driver`). A tag is what follows the last
 * `:` after the last `/`, so a registry port (`localhost:5000/x`) is never taken for one.
 */
export interface ImageReference {
  registry: string;
  /** `autoscaling/cluster-autoscaler`, `eks/coredns`. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** References longer than this are not images a controller runs (the grammar itself caps the name at 255). */
const MAX_REFERENCE_LENGTH = 512;

export function parseImageReference(reference: string): ImageReference | undefined {
  const trimmed = reference.trim();
  if (trimmed === '' || trimmed.length > MAX_REFERENCE_LENGTH || /\s/.test(trimmed)) return undefined;
  const at = trimmed.indexOf('@');
  const digest = at >= 0 ? trimmed.slice(at + 1) : undefined;
  const named = at >= 0 ? trimmed.slice(0, at) : trimmed;
  if (digest !== undefined && !/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) return undefined;
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  const hasTag = colon > slash;
  const tag = hasTag ? named.slice(colon + 1) : undefined;
  const name = hasTag ? named.slice(0, colon) : named;
  if (tag !== undefined && !/^\w[\w.-]{0,127}$/.test(tag)) return undefined;
  const parts = name.split('/');
  const first = parts[0] ?? '';
  const hasRegistry = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  // A registry is a host name or address with an optional numeric port.
  if (hasRegistry && !/^[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::\d{1,5})?$/.test(first)) return undefined;
  const registry = hasRegistry ? first : 'docker.io';
  const path = hasRegistry ? parts.slice(1) : parts;
  if (path.length === 0 || path.some((component) => !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(component))) return undefined;
  // Docker Hub's official images live under library/.
  const repository = !hasRegistry && path.length === 1 ? `library/${path[0]}` : path.join('/');
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

export interface ImageVersion {
  major: number;
  minor: number;
  patch?: number;
  /** The tag as it was: `v1.11.1-eksbuild.4`. */
  tag: string;
}

/** The semantic version a tag starts with (`v1.31.0`, `1.6.0`, `v1.18.1-eksbuild.1`); undefined for `latest` or a digest only. */
export function imageVersion(image: ImageReference): ImageVersion | undefined {
  if (image.tag === undefined) return undefined;
  const match = /^v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,6}))?(?![\d])/.exec(image.tag);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), ...(match[3] !== undefined ? { patch: Number(match[3]) } : {}), tag: image.tag };
}

/** The last component of the repository: what the image is (`cluster-autoscaler`, `coredns`, `controller`). */
export function imageName(image: ImageReference): string {
  return image.repository.split('/').at(-1) ?? image.repository;
}

export function compareImageVersions(a: ImageVersion, b: ImageVersion): number {
  return a.major - b.major || a.minor - b.minor || (a.patch ?? 0) - (b.patch ?? 0);
}

export function formatVersion(version: Pick<ImageVersion, 'major' | 'minor' | 'patch'>): string {
  return `${version.major}.${version.minor}${version.patch !== undefined ? `.${version.patch}` : ''}`;
}
