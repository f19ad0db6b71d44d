import {
  type AssociateKmsKeyCommandInput,
  type CreateLogGroupCommandInput,
  type DescribeLogGroupsCommandInput,
  type DescribeLogGroupsCommandOutput,
  type DescribeSubscriptionFiltersCommandInput,
  type DescribeSubscriptionFiltersCommandOutput,
  type DeleteSubscriptionFilterCommandInput,
  InvalidParameterException,
  LimitExceededException,
  type LogGroup,
  type PutRetentionPolicyCommandInput,
  type PutSubscriptionFilterCommandInput,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  type SubscriptionFilter,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Clock } from '../../../shared/time/clock.ts';
import type { AccountRegion, CallContext, SandboxService, ServiceOutput } from '../account.ts';

/** PutRetentionPolicy's accepted values (CloudWatch Logs API reference). */
const RETENTION_DAYS = new Set([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]);
/** "Each log group can have up to two subscription filters associated with it." */
const MAX_SUBSCRIPTION_FILTERS = 2;

interface GroupRecord {
  group: LogGroup;
  filters: SubscriptionFilter[];
}

/** Events written to a log group, as a subscription delivers them. */
export interface LogBatch {
  messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  owner: string;
  logGroup: string;
  logStream: string;
  subscriptionFilters: string[];
  logEvents: { id: string; timestamp: number; message: string }[];
  /** The subscribed destination (a Lambda function ARN). */
  destinationArn: string;
}

/**
 * CloudWatch Logs in the in-memory account: log groups with retention and KMS key, subscription filters with
 * the API's rules (two per group, Lambda destinations in the same account), and `write(...)`, which stands
 * for a service (EKS) writing events: each subscription gets them as a batch, in the real payload format,
 * through `onDelivery` (the sandbox connects it to the Lambda runtime).
 */
export class SandboxCloudWatchLogs implements SandboxService {
  readonly clientName = 'CloudWatchLogsClient';
  readonly label = 'logs';
  readonly #groups = new Map<string, GroupRecord>();
  readonly #clock: Clock;
  #sequence = 0n;
  #deliver: ((batch: LogBatch) => Promise<void>) | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  readonly commands = {
    CreateLogGroupCommand: (input: CreateLogGroupCommandInput, ctx: CallContext): ServiceOutput<object> => {
      const name = input.logGroupName ?? '';
      if (!/^[.\-_/#A-Za-z0-9]{1,512}$/.test(name)) throw new InvalidParameterException({ message: `Invalid log group name: ${name}`, $metadata: {} });
      if (this.#groups.has(this.#key(ctx, name))) throw new ResourceAlreadyExistsException({ message: 'The specified log group already exists', $metadata: {} });
      this.#create(ctx, name, input.kmsKeyId);
      ctx.changed({ service: 'logs', action: 'CreateLogGroup', resource: name, ...(input.kmsKeyId ? { detail: `KMS ${input.kmsKeyId}` } : {}) });
      return {};
    },
    DescribeLogGroupsCommand: (input: DescribeLogGroupsCommandInput, ctx: CallContext): ServiceOutput<DescribeLogGroupsCommandOutput> => {
      const prefix = input.logGroupNamePrefix ?? '';
      const groups = [...this.#groups.entries()].filter(([key]) => key.startsWith(`${ctx.accountId}/${ctx.region}/${prefix}`)).map(([, record]) => structuredClone(record.group));
      return { logGroups: groups.sort((a, b) => (a.logGroupName ?? '').localeCompare(b.logGroupName ?? '')).slice(0, input.limit ?? 50) };
    },
    PutRetentionPolicyCommand: (input: PutRetentionPolicyCommandInput, ctx: CallContext): ServiceOutput<object> => {
      const record = this.#record(ctx, input.logGroupName);
      if (!RETENTION_DAYS.has(input.retentionInDays ?? 0)) throw new InvalidParameterException({ message: `Invalid retentionInDays: ${input.retentionInDays}`, $metadata: {} });
      record.group.retentionInDays = input.retentionInDays;
      ctx.changed({ service: 'logs', action: 'PutRetentionPolicy', resource: input.logGroupName ?? '', detail: `${input.retentionInDays} days` });
      return {};
    },
    AssociateKmsKeyCommand: (input: AssociateKmsKeyCommandInput, ctx: CallContext): ServiceOutput<object> => {
      const record = this.#record(ctx, input.logGroupName);
      record.group.kmsKeyId = input.kmsKeyId;
      ctx.changed({ service: 'logs', action: 'AssociateKmsKey', resource: input.logGroupName ?? '', detail: input.kmsKeyId ?? '' });
      return {};
    },
    PutSubscriptionFilterCommand: async (input: PutSubscriptionFilterCommandInput, ctx: CallContext): Promise<ServiceOutput<object>> => {
      const record = this.#record(ctx, input.logGroupName);
      const destination = input.destinationArn ?? '';
      const lambda = /^arn:aws[a-z-]*:lambda:([^:]+):(\d{12}):function:[^:]+$/.exec(destination);
      // Lambda destinations must be in the same account and region as the log group.
      if (!lambda || lambda[1] !== ctx.region || lambda[2] !== ctx.accountId) {
        throw new InvalidParameterException({ message: `Could not deliver test message to specified destination: ${destination}`, $metadata: {} });
      }
      const existing = record.filters.findIndex((filter) => filter.filterName === input.filterName);
      if (existing < 0 && record.filters.length >= MAX_SUBSCRIPTION_FILTERS) {
        throw new LimitExceededException({ message: 'Resource limit exceeded.', $metadata: {} });
      }
      const filter: SubscriptionFilter = {
        filterName: input.filterName,
        logGroupName: input.logGroupName,
        filterPattern: input.filterPattern ?? '',
        destinationArn: destination,
        distribution: input.distribution ?? 'ByLogStream',
        creationTime: this.#clock.now().getTime(),
      };
      if (existing >= 0) record.filters[existing] = filter;
      else record.filters.push(filter);
      ctx.changed({ service: 'logs', action: 'PutSubscriptionFilter', resource: input.logGroupName ?? '', detail: `${input.filterName} → ${destination.split(':').at(-1)}` });
      // CloudWatch Logs checks the destination with a control message when the filter is put.
      await this.#deliver?.({
        messageType: 'CONTROL_MESSAGE',
        owner: 'CloudwatchLogs',
        logGroup: '',
        logStream: '',
        subscriptionFilters: [],
        logEvents: [{ id: '', timestamp: this.#clock.now().getTime(), message: 'CWL CONTROL MESSAGE: Checking health of destination Lambda.' }],
        destinationArn: destination,
      });
      return {};
    },
    DescribeSubscriptionFiltersCommand: (input: DescribeSubscriptionFiltersCommandInput, ctx: CallContext): ServiceOutput<DescribeSubscriptionFiltersCommandOutput> => {
      const record = this.#record(ctx, input.logGroupName);
      return { subscriptionFilters: record.filters.filter((filter) => !input.filterNamePrefix || filter.filterName?.startsWith(input.filterNamePrefix)).map((filter) => ({ ...filter })) };
    },
    DeleteSubscriptionFilterCommand: (input: DeleteSubscriptionFilterCommandInput, ctx: CallContext): ServiceOutput<object> => {
      const record = this.#record(ctx, input.logGroupName);
      const before = record.filters.length;
      record.filters = record.filters.filter((filter) => filter.filterName !== input.filterName);
      if (record.filters.length === before) throw new ResourceNotFoundException({ message: 'The specified subscription filter does not exist.', $metadata: {} });
      ctx.changed({ service: 'logs', action: 'DeleteSubscriptionFilter', resource: input.logGroupName ?? '', detail: input.filterName ?? '' });
      return {};
    },
  };

  /** Adds a log group as if it existed before (scenarios and tests). */
  seedLogGroup(target: AccountRegion, name: string, options: { retentionInDays?: number; filters?: SubscriptionFilter[] } = {}): void {
    const record = this.#create(target, name, undefined);
    if (options.retentionInDays) record.group.retentionInDays = options.retentionInDays;
    record.filters.push(...(options.filters ?? []));
  }

  logGroup(target: AccountRegion, name: string): { group: LogGroup; filters: SubscriptionFilter[] } | undefined {
    const record = this.#groups.get(this.#key(target, name));
    return record ? structuredClone(record) : undefined;
  }

  /** Where subscribed batches go; the sandbox hands them to the Lambda runtime (asynchronous invocation). */
  onDelivery(deliver: (batch: LogBatch) => Promise<void>): void {
    this.#deliver = deliver;
  }

  /**
   * A service writes events to a stream of a log group (EKS does, for its control plane). Each subscription
   * filter receives them as one batch with 56-digit event ids; unmatched groups keep them to themselves.
   * Returns the number of batches delivered.
   */
  async write(target: AccountRegion, logGroup: string, logStream: string, messages: readonly { message: string; timestamp?: number }[]): Promise<number> {
    const record = this.#groups.get(this.#key(target, logGroup));
    if (!record) throw new Error(`log group ${logGroup} does not exist in the sandbox`);
    const logEvents = messages.map((event) => ({ id: this.#nextId(), timestamp: event.timestamp ?? this.#clock.now().getTime(), message: event.message }));
    let delivered = 0;
    for (const filter of record.filters) {
      await this.#deliver?.({ messageType: 'DATA_MESSAGE', owner: target.accountId, logGroup, logStream, subscriptionFilters: [filter.filterName ?? ''], logEvents, destinationArn: filter.destinationArn ?? '' });
      delivered += 1;
    }
    return delivered;
  }

  #nextId(): string {
    this.#sequence += 1n;
    // CloudWatch event ids are 56 decimal digits, increasing within a stream.
    return (31953106606966983378809025079804211143289615424298221568n + this.#sequence).toString();
  }

  #create(target: AccountRegion, name: string, kmsKeyId: string | undefined): GroupRecord {
    const record: GroupRecord = {
      group: { logGroupName: name, arn: `arn:aws:logs:${target.region}:${target.accountId}:log-group:${name}:*`, creationTime: this.#clock.now().getTime(), storedBytes: 0, ...(kmsKeyId ? { kmsKeyId } : {}) },
      filters: [],
    };
    this.#groups.set(this.#key(target, name), record);
    return record;
  }

  #record(ctx: AccountRegion, name: string | undefined): GroupRecord {
    const record = this.#groups.get(this.#key(ctx, name ?? ''));
    if (!record) throw new ResourceNotFoundException({ message: 'The specified log group does not exist.', $metadata: {} });
    return record;
  }

  #key(target: AccountRegion, name: string): string {
    return `${target.accountId}/${target.region}/${name}`;
  }
}
