import type { GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import type { CallContext, SandboxService, ServiceOutput } from '../account.ts';

/** STS: who the sandbox caller is. */
export class SandboxSts implements SandboxService {
  readonly clientName = 'STSClient';
  readonly label = 'sts';
  readonly commands = {
    GetCallerIdentityCommand: (_input: object, ctx: CallContext): ServiceOutput<GetCallerIdentityCommandOutput> => ({
      Account: ctx.accountId,
      Arn: `arn:aws:sts::${ctx.accountId}:assumed-role/eksops-sandbox/eksops`,
      UserId: 'AROASANDBOXEKSOPS:eksops',
    }),
  };
}
