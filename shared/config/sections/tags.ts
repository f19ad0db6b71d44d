import * as z from 'zod';
import { RateOrCron } from '../primitives.ts';

export const TagsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  schedule: RateOrCron.default('rate(1 hour)'),
  /** Add the cluster-autoscaler auto-discovery tags to node group ASGs. */
  autoscalerDiscovery: z.boolean().default(true),
  /** Node-group tag keys copied to ASGs, instances and volumes (globs). Default: all but those denied. */
  allow: z.array(z.string().min(1)).default(['*']),
  deny: z.array(z.string().min(1)).default([]),
});
