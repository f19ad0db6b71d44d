import { describe, expect, it } from '@jest/globals';
import { parseEksAmiName, recommendedAmiParameter } from '../../../shared/upgrade/eks-amis.ts';

/** AMI names as AWS publishes them, and the public parameters of the recommended AMI of each kind (EKS user guide). */
describe('EKS-optimized AMIs', () => {
  const cases: { name: string; ami: ReturnType<typeof parseEksAmiName>; parameter?: string }[] = [
    { name: 'amazon-eks-node-al2023-x86_64-standard-1.31-v20241024', ami: { family: 'AL2023', variant: 'standard', architecture: 'x86_64', kubernetesVersion: '1.31' }, parameter: '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id' },
    { name: 'amazon-eks-node-al2023-arm64-nvidia-1.33-v20250620', ami: { family: 'AL2023', variant: 'nvidia', architecture: 'arm64', kubernetesVersion: '1.33' }, parameter: '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/arm64/nvidia/recommended/image_id' },
    { name: 'amazon-eks-node-1.30-v20240819', ami: { family: 'AL2', variant: 'standard', architecture: 'x86_64', kubernetesVersion: '1.30' }, parameter: '/aws/service/eks/optimized-ami/1.33/amazon-linux-2/recommended/image_id' },
    { name: 'amazon-eks-arm64-node-1.30-v20240729', ami: { family: 'AL2', variant: 'standard', architecture: 'arm64', kubernetesVersion: '1.30' }, parameter: '/aws/service/eks/optimized-ami/1.33/amazon-linux-2-arm64/recommended/image_id' },
    { name: 'amazon-eks-gpu-node-1.29-v20240315', ami: { family: 'AL2', variant: 'gpu', architecture: 'x86_64', kubernetesVersion: '1.29' }, parameter: '/aws/service/eks/optimized-ami/1.33/amazon-linux-2-gpu/recommended/image_id' },
    { name: 'bottlerocket-aws-k8s-1.32-aarch64-v1.51.0-47438798', ami: { family: 'BOTTLEROCKET', variant: 'standard', architecture: 'arm64', kubernetesVersion: '1.32' }, parameter: '/aws/service/bottlerocket/aws-k8s-1.33/arm64/latest/image_id' },
    { name: 'bottlerocket-aws-k8s-1.23-nvidia-x86_64-v1.14.0-9cd59298', ami: { family: 'BOTTLEROCKET', variant: 'nvidia', architecture: 'x86_64', kubernetesVersion: '1.23' }, parameter: '/aws/service/bottlerocket/aws-k8s-1.33-nvidia/x86_64/latest/image_id' },
    { name: 'bottlerocket-aws-k8s-1.35-fips-x86_64-v1.58.0-c5c37032', ami: { family: 'BOTTLEROCKET', variant: 'fips', architecture: 'x86_64', kubernetesVersion: '1.35' }, parameter: '/aws/service/bottlerocket/aws-k8s-1.33-fips/x86_64/latest/image_id' },
    // A driver-pinned NVIDIA build has no "recommended" parameter of its own: eksops must not move it to another driver.
    { name: 'amazon-eks-node-al2023-x86_64-nvidia-560-1.31-v20241016', ami: undefined },
    { name: 'acme-golden-eks-1.32-20250101', ami: undefined },
    { name: 'bottlerocket-aws-ecs-1-x86_64-v1.20.0-abc', ami: undefined },
  ];
  for (const { name, ami, parameter } of cases) {
    it(`reads ${name}`, () => {
      expect(parseEksAmiName(name)).toEqual(ami);
      if (ami && parameter) expect(recommendedAmiParameter(ami, '1.33')).toBe(parameter);
    });
  }
});
