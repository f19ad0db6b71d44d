import { makeHandler as nodeTags } from '../../functions/node-tags/app.ts';
import { SandboxAutoScaling } from '../account/services/autoscaling.ts';
import { SandboxEc2 } from '../account/services/ec2.ts';
import { lambdaLogicalId } from '../lambda/runtime.ts';
import { functionEnvironment } from '../template/function-environment.ts';
import type { SandboxPlugin } from '../sandbox-core.ts';

/** Node tags in the sandbox: the reconciler, EC2 and Auto Scaling in the in-memory account. */
/** The sandbox's tag-record-key secret (as `sls deploy` would create it for stage dev), seeded on connect. */
export const SANDBOX_RECORD_KEY_SECRET = 'eksops-dev/tag-record-key';
export const SANDBOX_RECORD_KEY = 'sandbox-tag-record-key-0123456789abcdef0123456789abcdef0123456789ab';

export const TAGS: SandboxPlugin = {
  // The template's environment names the secret once serverless.yml creates it; until then, the sandbox's name.
  functions: { nodeTags: (deps) => nodeTags({ ...deps, env: { ...deps.env, EKSOPS_TAG_RECORD_KEY_SECRET: deps.env.EKSOPS_TAG_RECORD_KEY_SECRET ?? SANDBOX_RECORD_KEY_SECRET } }) },
  connect: (sandbox) => {
    const named = functionEnvironment(sandbox.template, lambdaLogicalId('nodeTags'), sandbox.aws.here).EKSOPS_TAG_RECORD_KEY_SECRET;
    for (const name of new Set([SANDBOX_RECORD_KEY_SECRET, ...(named ? [named] : [])])) sandbox.aws.services.secretsManager.seedSecret(sandbox.aws.here, name, SANDBOX_RECORD_KEY);
  },
  services: ({ account }) => {
    const ec2 = account.register(new SandboxEc2());
    account.register(new SandboxAutoScaling(ec2));
  },
};
