import { ConfigSchema, type Config } from '../../../shared/config/schema.ts';
import { SandboxAutoScaling } from '../../../local/account/services/autoscaling.ts';
import { SandboxEc2 } from '../../../local/account/services/ec2.ts';
import { createSandboxAws } from '../../../local/sandbox.ts';
import type { FleetServices } from '../../../local/tags-fleet.ts';

/** The in-memory account with EC2 and Auto Scaling, and a configuration with tags on, for the tag tests. */
export function tagsSandbox(configure: (config: Record<string, unknown>) => Record<string, unknown> = (config) => config) {
  const aws = createSandboxAws({ start: '2026-03-02T09:00:00Z' });
  const fleet: FleetServices = { eks: aws.services.eks, eksNodegroups: aws.services.eksNodegroups, ec2: aws.account.service(SandboxEc2), autoscaling: aws.account.service(SandboxAutoScaling) };
  const config = (clusters: string[], tags: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Config =>
    ConfigSchema.parse(configure({ region: aws.here.region, clusters: clusters.map((name) => ({ name })), tags: { enabled: true, autoscalerDiscovery: false, ec2WritesPerSecond: 100, autoscalingWritesPerSecond: 50, ...tags }, ...extra }));
  // The stack's record key secret, as the node-tags function reads it (EKSOPS_TAG_RECORD_KEY_SECRET).
  const recordKey = 'test-record-key-0123456789abcdef0123456789abcdef0123456789abcdef';
  const recordKeySecretArn = aws.services.secretsManager.seedSecret(aws.here, 'eksops-test/tag-record-key', recordKey);
  const env = { EKSOPS_TAG_RECORD_KEY_SECRET: recordKeySecretArn };
  const mutatingCalls = () => aws.account.calls.filter((call) => !call.error && ['CreateTags', 'DeleteTags', 'CreateOrUpdateTags'].includes(call.operation)).length;
  return { aws, fleet, here: aws.here, config, mutatingCalls, recordKey, env };
}
