import { InvalidParameterException, type ListFargateProfilesCommandInput, type ListFargateProfilesCommandOutput } from '@aws-sdk/client-eks';
import type { AccountRegion, CallContext, SandboxService, ServiceOutput } from '../account.ts';
import type { SandboxEks } from './eks.ts';

/**
 * EKS Fargate profiles in the in-memory account: names only (ListFargateProfiles), what an upgrade reports.
 * Fargate pods keep the kubelet they started with; only restarting them moves them to a new version.
 */
export class SandboxEksFargate implements SandboxService {
  readonly clientName = 'EKSClient';
  readonly label = 'eks';
  readonly #profiles = new Map<string, string[]>();
  readonly #eks: SandboxEks;

  constructor(eks: SandboxEks) {
    this.#eks = eks;
  }

  readonly commands = {
    ListFargateProfilesCommand: (input: ListFargateProfilesCommandInput, ctx: CallContext): ServiceOutput<ListFargateProfilesCommandOutput> => {
      this.#eks.clusterOf(ctx, input.clusterName ?? '');
      // EKS ListFargateProfiles: maxResults 1-100.
      const max = input.maxResults ?? 100;
      if (max < 1 || max > 100) throw new InvalidParameterException({ message: 'maxResults must be between 1 and 100', $metadata: {} });
      const names = [...(this.#profiles.get(this.#eks.clusterKey(ctx, input.clusterName ?? '')) ?? [])].sort();
      const start = input.nextToken ? Number(Buffer.from(input.nextToken, 'base64url').toString()) : 0;
      const next = start + max < names.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
      return { fargateProfileNames: names.slice(start, start + max), ...(next ? { nextToken: next } : {}) };
    },
  };

  seedProfile(target: AccountRegion, clusterName: string, name: string): void {
    this.#eks.clusterOf(target, clusterName);
    const key = this.#eks.clusterKey(target, clusterName);
    this.#profiles.set(key, [...(this.#profiles.get(key) ?? []), name]);
  }
}
