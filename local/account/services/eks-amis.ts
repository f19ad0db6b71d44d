import { createHash } from 'node:crypto';
import { KUBERNETES_VERSIONS } from './eks-catalog.ts';

/**
 * The Amazon EKS-optimized AMIs AWS publishes for the versions the sandbox's EKS offers, and the public SSM
 * parameters that name the recommended one of each kind. Names and parameter paths as AWS publishes them
 * (EKS user guide, "Retrieve recommended Amazon Linux AMI IDs", "Retrieve recommended Bottlerocket AMI IDs";
 * amazon-eks-ami and Bottlerocket release names), written out here rather than derived from eksops's own code,
 * so that a mistake there shows. AL2 AMIs exist up to 1.32 only. Image IDs are stable per region and name.
 */
export interface EksPublicImage {
  id: string;
  name: string;
  architecture: 'x86_64' | 'arm64';
  kubernetesVersion: string;
  /** The public parameter whose value is this image's id (it is the recommended one of its kind). */
  parameter: string;
}

/** Owner of the EKS-optimized AMIs in most commercial regions (amazon-eks-ami README). */
export const EKS_AMI_OWNER = '602401143452';
/** The release the sandbox publishes as recommended; tests seed older releases of the same kinds by name. */
export const CURRENT_AL_RELEASE = 'v20260215';
export const CURRENT_BOTTLEROCKET_RELEASE = 'v1.55.0-3f1a2b4c';

const ARCHITECTURES = ['x86_64', 'arm64'] as const;

function kindsOf(version: string, al2: boolean): Omit<EksPublicImage, 'id' | 'kubernetesVersion'>[] {
  const kinds: Omit<EksPublicImage, 'id' | 'kubernetesVersion'>[] = [];
  for (const architecture of ARCHITECTURES) {
    for (const variant of ['standard', 'nvidia']) {
      kinds.push({ architecture, name: `amazon-eks-node-al2023-${architecture}-${variant}-${version}-${CURRENT_AL_RELEASE}`, parameter: `/aws/service/eks/optimized-ami/${version}/amazon-linux-2023/${architecture}/${variant}/recommended/image_id` });
      const flavor = variant === 'standard' ? '' : `-${variant}`;
      kinds.push({
        architecture,
        name: `bottlerocket-aws-k8s-${version}${flavor}-${architecture === 'arm64' ? 'aarch64' : 'x86_64'}-${CURRENT_BOTTLEROCKET_RELEASE}`,
        parameter: `/aws/service/bottlerocket/aws-k8s-${version}${flavor}/${architecture}/latest/image_id`,
      });
    }
  }
  if (al2) {
    kinds.push({ architecture: 'x86_64', name: `amazon-eks-node-${version}-${CURRENT_AL_RELEASE}`, parameter: `/aws/service/eks/optimized-ami/${version}/amazon-linux-2/recommended/image_id` });
    kinds.push({ architecture: 'arm64', name: `amazon-eks-arm64-node-${version}-${CURRENT_AL_RELEASE}`, parameter: `/aws/service/eks/optimized-ami/${version}/amazon-linux-2-arm64/recommended/image_id` });
    kinds.push({ architecture: 'x86_64', name: `amazon-eks-gpu-node-${version}-${CURRENT_AL_RELEASE}`, parameter: `/aws/service/eks/optimized-ami/${version}/amazon-linux-2-gpu/recommended/image_id` });
  }
  return kinds;
}

const cache = new Map<string, EksPublicImage[]>();

/** Every EKS-optimized AMI of the catalog in a region. */
export function eksPublicImages(region: string): EksPublicImage[] {
  let images = cache.get(region);
  if (!images) {
    images = KUBERNETES_VERSIONS.flatMap((entry) => kindsOf(entry.version, entry.al2Ami).map((kind) => ({ ...kind, kubernetesVersion: entry.version, id: imageIdFor(region, kind.name) })));
    cache.set(region, images);
  }
  return images;
}

/** The value of a public EKS AMI parameter in a region (undefined: AWS publishes no such parameter). */
export function eksAmiParameter(region: string, name: string): string | undefined {
  return eksPublicImages(region).find((image) => image.parameter === name)?.id;
}

/** An AMI id for a name, stable per region: `ami-` and 17 hex digits, as EC2's. */
export function imageIdFor(region: string, name: string): string {
  return `ami-${createHash('sha256').update(`${region}/${name}`).digest('hex').slice(0, 17)}`;
}
