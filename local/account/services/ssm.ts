import {
  type GetParameterCommandInput,
  type GetParameterCommandOutput,
  type GetParametersCommandInput,
  type GetParametersCommandOutput,
  type Parameter,
  ParameterAlreadyExists,
  ParameterNotFound,
  type PutParameterCommandInput,
  type PutParameterCommandOutput,
  ValidationException,
} from '@aws-sdk/client-ssm';
import type { Clock } from '../../../shared/time/clock.ts';
import type { AccountRegion, CallContext, SandboxService, ServiceOutput } from '../account.ts';

/** Public parameters AWS publishes under /aws/service/ in every region: the value of a name, or undefined. */
export type PublicParameterSource = (region: string, name: string) => string | undefined;

// Parameter names starting with "aws" or "ssm" (case-insensitive) are reserved (PutParameter refuses them with
// a ValidationException); AWS's own public parameters live under /aws/service/.
const RESERVED_PREFIX = /^\/?(aws|ssm)/i;
const PUBLIC_PREFIX = '/aws/service/';

/**
 * SSM Parameter Store: String, StringList and SecureString parameters of the account, and the public parameters
 * AWS publishes under /aws/service/ (readable from any account, in the region asked; ARN without an account).
 */
export class SandboxSsm implements SandboxService {
  readonly clientName = 'SSMClient';
  readonly label = 'ssm';
  readonly #parameters = new Map<string, Parameter>();
  readonly #publicSources: PublicParameterSource[] = [];
  readonly #publicOverrides = new Map<string, string | null>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  readonly commands = {
    GetParameterCommand: (input: GetParameterCommandInput, ctx: CallContext): ServiceOutput<GetParameterCommandOutput> => ({
      Parameter: this.#read(ctx, input.Name ?? '', input.WithDecryption ?? false),
    }),
    GetParametersCommand: (input: GetParametersCommandInput, ctx: CallContext): ServiceOutput<GetParametersCommandOutput> => {
      // GetParameters takes at most 10 names.
      if ((input.Names?.length ?? 0) > 10) throw new ValidationException({ message: 'Member must have length less than or equal to 10', $metadata: {} });
      const found: Parameter[] = [];
      const invalid: string[] = [];
      for (const name of input.Names ?? []) {
        if (this.#parameters.has(this.#key(ctx, name)) || this.#publicValue(ctx.region, name) !== undefined) found.push(this.#read(ctx, name, input.WithDecryption ?? false));
        else invalid.push(name);
      }
      return { Parameters: found, InvalidParameters: invalid };
    },
    PutParameterCommand: (input: PutParameterCommandInput, ctx: CallContext): ServiceOutput<PutParameterCommandOutput> => {
      const name = input.Name ?? '';
      if (RESERVED_PREFIX.test(name)) throw new ValidationException({ message: 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).', $metadata: {} });
      const previous = this.#parameters.get(this.#key(ctx, name));
      if (previous && !input.Overwrite) throw new ParameterAlreadyExists({ message: `The parameter already exists: ${name}`, $metadata: {} });
      const version = (previous?.Version ?? 0) + 1;
      this.#put(ctx, name, input.Value ?? '', input.Type ?? previous?.Type ?? 'String', version);
      ctx.changed({ service: 'ssm', action: 'PutParameter', resource: name, detail: input.Type === 'SecureString' ? 'SecureString (value hidden)' : `version ${version}` });
      return { Version: version, Tier: 'Standard' };
    },
  };

  seedParameter(target: AccountRegion, name: string, value: string, type: 'String' | 'SecureString' | 'StringList' = 'String'): void {
    this.#put(target, name, value, type, 1);
  }

  /** A source of public /aws/service/ parameters (e.g. the EKS-optimized AMI catalog). */
  addPublicParameters(source: PublicParameterSource): void {
    this.#publicSources.push(source);
  }

  /** AWS publishes (a value) or withdraws (undefined) a public parameter in a region, e.g. a new AMI release. */
  publishPublicParameter(region: string, name: string, value: string | undefined): void {
    this.#publicOverrides.set(`${region}/${name}`, value ?? null);
  }

  #publicValue(region: string, name: string): string | undefined {
    if (!name.startsWith(PUBLIC_PREFIX)) return undefined;
    const override = this.#publicOverrides.get(`${region}/${name}`);
    if (override !== undefined) return override ?? undefined;
    for (const source of this.#publicSources) {
      const value = source(region, name);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  #put(target: AccountRegion, name: string, value: string, type: Parameter['Type'], version: number): void {
    this.#parameters.set(this.#key(target, name), {
      Name: name,
      Type: type,
      Value: value,
      Version: version,
      LastModifiedDate: this.#clock.now(),
      ARN: `arn:aws:ssm:${target.region}:${target.accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
      DataType: 'text',
    });
  }

  #read(ctx: CallContext, name: string, decrypt: boolean): Parameter {
    const publicValue = this.#publicValue(ctx.region, name);
    if (publicValue !== undefined) return { Name: name, Type: 'String', Value: publicValue, Version: 1, LastModifiedDate: this.#clock.now(), ARN: `arn:aws:ssm:${ctx.region}::parameter${name}`, DataType: 'text' };
    const parameter = this.#parameters.get(this.#key(ctx, name));
    if (!parameter) throw new ParameterNotFound({ message: `Parameter ${name} not found.`, $metadata: {} });
    // Without WithDecryption, SSM returns a SecureString's ciphertext, never its value.
    if (parameter.Type === 'SecureString' && !decrypt) return { ...parameter, Value: Buffer.from(`kms-ciphertext:${name}`).toString('base64') };
    return { ...parameter };
  }

  #key(target: AccountRegion, name: string): string {
    return `${target.accountId}/${target.region}/${name}`;
  }
}
