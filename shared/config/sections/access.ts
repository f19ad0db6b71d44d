import * as z from 'zod';
import { IamRoleArn } from '../primitives.ts';

export const AccessSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** The IAM role kept as cluster admin on every cluster (an EKS access entry), for break-glass use. */
  breakGlassRoleArn: IamRoleArn.optional(),
  /** Tag each new cluster with the principal that created it. */
  tagCreator: z.boolean().default(true),
});
