import { type DescribeSubnetsCommandInput, type DescribeSubnetsCommandOutput, type Subnet } from '@aws-sdk/client-ec2';
import type { AccountRegion, CallContext, SandboxService, ServiceOutput } from '../account.ts';

/**
 * EC2 subnets in the in-memory account: DescribeSubnets with `AvailableIpAddressCount`, what an upgrade's
 * pre-flight reads (EKS needs up to 5 free IP addresses in the cluster's subnets to update the control
 * plane). A part of the EC2 client: instances and tags are another part's.
 */
export class SandboxEc2Subnets implements SandboxService {
  readonly clientName = 'EC2Client';
  readonly label = 'ec2';
  readonly #subnets = new Map<string, Subnet>();

  readonly commands = {
    DescribeSubnetsCommand: (input: DescribeSubnetsCommandInput, ctx: CallContext): ServiceOutput<DescribeSubnetsCommandOutput> => {
      const prefix = `${ctx.accountId}/${ctx.region}/`;
      const all = [...this.#subnets.entries()].filter(([key]) => key.startsWith(prefix)).map(([, subnet]) => subnet);
      const wanted = input.SubnetIds;
      if (wanted) {
        const missing = wanted.find((id) => !all.some((subnet) => subnet.SubnetId === id));
        // EC2 answers an unknown subnet with the error code InvalidSubnetID.NotFound (no modelled exception class).
        if (missing) throw Object.assign(new Error(`The subnet ID '${missing}' does not exist`), { name: 'InvalidSubnetID.NotFound', $fault: 'client', $metadata: { httpStatusCode: 400 } });
      }
      return { Subnets: structuredClone(wanted ? all.filter((subnet) => wanted.includes(subnet.SubnetId ?? '')) : all) };
    },
  };

  seedSubnet(target: AccountRegion, subnetId: string, options: { availableIps?: number; cidrBlock?: string; availabilityZone?: string } = {}): Subnet {
    const subnet: Subnet = {
      SubnetId: subnetId,
      VpcId: 'vpc-0sandbox',
      CidrBlock: options.cidrBlock ?? '10.0.0.0/24',
      AvailableIpAddressCount: options.availableIps ?? 200,
      AvailabilityZone: options.availabilityZone ?? `${target.region}a`,
      State: 'available',
      OwnerId: target.accountId,
    };
    this.#subnets.set(`${target.accountId}/${target.region}/${subnetId}`, subnet);
    return structuredClone(subnet);
  }

  setAvailableIps(target: AccountRegion, subnetId: string, availableIps: number): void {
    const subnet = this.#subnets.get(`${target.accountId}/${target.region}/${subnetId}`);
    if (subnet) subnet.AvailableIpAddressCount = availableIps;
  }
}
