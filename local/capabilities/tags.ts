import { makeHandler as nodeTags } from '../../functions/node-tags/app.ts';
import { SandboxAutoScaling } from '../account/services/autoscaling.ts';
import { SandboxEc2 } from '../account/services/ec2.ts';
import { tagsDriftRepaired, tagsNewInstance, tagsSecondRunQuiet } from '../scenarios/tags-fleet-drift.ts';
import type { SandboxCapability } from './capability.ts';

/** Node tags in the sandbox: the reconciler, EC2 and Auto Scaling in the in-memory account, its scenarios. */
export const TAGS: SandboxCapability = {
  functions: { nodeTags: (deps) => nodeTags(deps) },
  scenarios: [tagsDriftRepaired, tagsNewInstance, tagsSecondRunQuiet],
  services: ({ account }) => {
    const ec2 = account.register(new SandboxEc2());
    account.register(new SandboxAutoScaling(ec2));
  },
};
