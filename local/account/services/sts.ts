import type { GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import type { CallContext, SandboxService } from '../account.ts';

type Output<T> = Omit<T, '$metadata'>;

/** STS: who the sandbox caller is. */
export class SandboxSts implements SandboxService {
  readonly clientName = 'STSClient';
  readonly label = 'sts';
  readonly commands = {
    GetCallerIdentityCommand: (_input: object, ctx: CallContext): Output<GetCallerIdentityCommandOutput> => ({
      Account: ctx.accountId,
      Arn: `arn:aws:sts::${ctx.accountId}:assumed-role/eksops-sandbox/eksops`,
      UserId: 'AROASANDBOXEKSOPS:eksops',
    }),
  };
}
