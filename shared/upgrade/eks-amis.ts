/**
 * Amazon EKS-optimized AMIs: what an AMI's name says (family, variant, architecture, Kubernetes version) and
 * which public SSM parameter names the recommended AMI of the same kind for a Kubernetes version. Pure: observe.ts
 * reads the names and parameters, the planner compares.
 *
 * Names (as AWS publishes them; amazon-eks-ami templates, Bottlerocket releases):
 *   AL2023       amazon-eks-node-al2023-<x86_64|arm64>-<standard|nvidia|neuron>-<k8s>-v<date>
 *   AL2          amazon-eks-node-<k8s>-v<date>, amazon-eks-arm64-node-…, amazon-eks-gpu-node-…
 *   Bottlerocket bottlerocket-aws-k8s-<k8s>[-nvidia|-fips]-<x86_64|aarch64>-v<version>-<commit>
 * Parameters (EKS user guide, "Retrieve recommended Amazon Linux AMI IDs" and "… Bottlerocket AMI IDs"):
 *   /aws/service/eks/optimized-ami/<k8s>/amazon-linux-2023/<x86_64|arm64>/<variant>/recommended/image_id
 *   /aws/service/eks/optimized-ami/<k8s>/amazon-linux-2[-arm64|-gpu]/recommended/image_id
 *   /aws/service/bottlerocket/aws-k8s-<k8s>[-nvidia|-fips]/<x86_64|arm64>/latest/image_id
 * A name that matches none of these (a driver-pinned NVIDIA build, a custom AMI) is not EKS-optimized here.
 */
export type AmiFamily = 'AL2023' | 'AL2' | 'BOTTLEROCKET';
export type AmiArchitecture = 'x86_64' | 'arm64';

export interface EksOptimizedAmi {
  family: AmiFamily;
  /** AL2023: standard | nvidia | neuron; AL2: standard | gpu; Bottlerocket: standard | nvidia | fips. */
  variant: string;
  architecture: AmiArchitecture;
  kubernetesVersion: string;
}

const AL2023 = /^amazon-eks-node-al2023-(x86_64|arm64)-(standard|nvidia|neuron)-(1\.\d+)-v\d+/;
const AL2 = /^amazon-eks(-arm64|-gpu)?-node-(1\.\d+)-v\d+/;
const BOTTLEROCKET = /^bottlerocket-aws-k8s-(1\.\d+)(-nvidia|-fips)?-(x86_64|aarch64)-v\d/;

export function parseEksAmiName(name: string): EksOptimizedAmi | undefined {
  const al2023 = AL2023.exec(name);
  if (al2023) return { family: 'AL2023', architecture: al2023[1] as AmiArchitecture, variant: al2023[2] ?? 'standard', kubernetesVersion: al2023[3] ?? '' };
  const al2 = AL2.exec(name);
  if (al2) return { family: 'AL2', architecture: al2[1] === '-arm64' ? 'arm64' : 'x86_64', variant: al2[1] === '-gpu' ? 'gpu' : 'standard', kubernetesVersion: al2[2] ?? '' };
  const bottlerocket = BOTTLEROCKET.exec(name);
  // Bottlerocket names say aarch64 where its SSM parameters say arm64.
  if (bottlerocket) return { family: 'BOTTLEROCKET', variant: bottlerocket[2]?.slice(1) ?? 'standard', architecture: bottlerocket[3] === 'aarch64' ? 'arm64' : 'x86_64', kubernetesVersion: bottlerocket[1] ?? '' };
  return undefined;
}

/** The public SSM parameter holding the recommended AMI of this kind for a Kubernetes version. */
export function recommendedAmiParameter(ami: Omit<EksOptimizedAmi, 'kubernetesVersion'>, kubernetesVersion: string): string {
  switch (ami.family) {
    case 'AL2023':
      return `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2023/${ami.architecture}/${ami.variant}/recommended/image_id`;
    case 'AL2': {
      const suffix = ami.variant === 'gpu' ? '-gpu' : ami.architecture === 'arm64' ? '-arm64' : '';
      return `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2${suffix}/recommended/image_id`;
    }
    case 'BOTTLEROCKET':
      return `/aws/service/bottlerocket/aws-k8s-${kubernetesVersion}${ami.variant === 'standard' ? '' : `-${ami.variant}`}/${ami.architecture}/latest/image_id`;
  }
}

/** `AL2023 standard arm64`: how findings and Slack name the kind of AMI. */
export function describeAmiKind(ami: Omit<EksOptimizedAmi, 'kubernetesVersion'>): string {
  return `${ami.family === 'BOTTLEROCKET' ? 'Bottlerocket' : ami.family} ${ami.variant} ${ami.architecture}`;
}
