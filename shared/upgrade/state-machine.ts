/**
 * The deployed upgrade state machine. serverless/state-machines.yml names it
 * `${self:service}-${sls:stage}-cluster-upgrade` (service `eksops`); whoever starts it outside the stack
 * (the CLI, the sandbox) names it from here.
 */
export function upgradeStateMachineName(stage: string): string {
  return `eksops-${stage}-cluster-upgrade`;
}

/** Its ARN in the account and region it is deployed to; the partition follows the region (aws-cn, aws-us-gov). */
export function upgradeStateMachineArn(where: { accountId: string; region: string }, stage: string): string {
  return `arn:${partitionOf(where.region)}:states:${where.region}:${where.accountId}:stateMachine:${upgradeStateMachineName(stage)}`;
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
