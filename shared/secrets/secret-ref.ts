import * as z from 'zod';

/**
 * Where a secret is kept: the configuration names it, never holds it. Functions read it at first use
 * (secret-reader.ts), and IAM grants each function read access to exactly the secrets named.
 */
// SSM parameter names: letters, digits and _ . - with / separating the hierarchy. A fully qualified name
// starts with '/', which is what we require so that IAM can scope the read to the parameter's path.
const SsmParameterName = z
  .string()
  .regex(/^\/[A-Za-z0-9_.\-/]{1,1010}$/, 'must be an SSM parameter name starting with / (letters, digits, _ . - /)')
  .refine((name) => !/[*?]/.test(name), { message: 'must not contain wildcards (* or ?)' });

const SsmSecretRef = z.strictObject({
  /** A SecureString parameter, read with decryption. */
  ssmParameter: SsmParameterName,
});

const SecretsManagerSecretRef = z.strictObject({
  /** The secret's name or ARN. */
  secretsManager: z
    .string()
    .min(1, 'must name a Secrets Manager secret (name or ARN)')
    .refine((name) => !/[*?]/.test(name), { message: 'must name one secret: wildcards (* or ?) are refused' }),
  /** When set, the secret is a JSON object and this key holds the value. */
  jsonKey: z.string().min(1).optional(),
});

export const SecretRefSchema = z.union([SsmSecretRef, SecretsManagerSecretRef]);
export type SecretRef = z.infer<typeof SecretRefSchema>;
