import { AssociateKmsKeyCommand, CreateLogGroupCommand, PutRetentionPolicyCommand, PutSubscriptionFilterCommand, ResourceAlreadyExistsException } from '@aws-sdk/client-cloudwatch-logs';
import { UpdateClusterConfigCommand, type LogType } from '@aws-sdk/client-eks';
import type { EksReader, LogsReader } from './observe.ts';
import type { LoggingAction } from './plan.ts';

/** Applies a plan's actions in order. Each is idempotent, so a retried invocation converges. */
export async function applyLoggingActions(actions: readonly LoggingAction[], eks: EksReader, logs: LogsReader): Promise<void> {
  for (const action of actions) {
    switch (action.kind) {
      case 'create-log-group':
        try {
          await logs.send(new CreateLogGroupCommand({ logGroupName: action.logGroup, ...(action.kmsKeyArn ? { kmsKeyId: action.kmsKeyArn } : {}) }));
        } catch (error) {
          // EKS (or a concurrent invocation) created it between observe and act: that is the goal reached.
          if (!(error instanceof ResourceAlreadyExistsException)) throw error;
        }
        break;
      case 'set-retention':
        await logs.send(new PutRetentionPolicyCommand({ logGroupName: action.logGroup, retentionInDays: action.days }));
        break;
      case 'associate-kms-key':
        await logs.send(new AssociateKmsKeyCommand({ logGroupName: action.logGroup, kmsKeyId: action.kmsKeyArn }));
        break;
      case 'enable-log-types':
        await eks.send(new UpdateClusterConfigCommand({ name: action.cluster, logging: { clusterLogging: [{ types: action.types as LogType[], enabled: true }] } }));
        break;
      case 'subscribe':
        // An empty pattern forwards every event; the forwarder filters with the configuration's drop rules.
        await logs.send(new PutSubscriptionFilterCommand({ logGroupName: action.logGroup, filterName: action.filterName, filterPattern: '', destinationArn: action.destinationArn }));
        break;
    }
  }
}
