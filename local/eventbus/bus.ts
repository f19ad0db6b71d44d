import { randomUUID } from 'node:crypto';
import type { Clock } from '../../shared/time/clock.ts';
import { type LocalLambdaRuntime, logicalIdOf } from '../lambda/runtime.ts';
import type { CloudFormationTemplate } from '../template/compiled-template.ts';
import { type CompiledPattern, compilePattern } from './pattern-matcher.ts';

export interface BusEvent {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

interface Rule {
  logicalId: string;
  name: string;
  pattern: CompiledPattern;
  targets: { logicalId: string | undefined; input?: unknown; inputPath?: string }[];
}

export interface Delivery {
  event: BusEvent;
  rule: string;
  target: string;
  outcome: 'delivered' | 'failed-to-destination' | 'target-not-in-sandbox';
  attempts?: number;
}

export class UnsupportedTargetError extends Error {
  override readonly name = 'UnsupportedTargetError';
}

/**
 * The sandbox's default event bus. Rules are the AWS::Events::Rule resources of the compiled template, with
 * their real EventPatterns, matched by the EventBridge pattern matcher; Lambda targets are invoked
 * asynchronously through the local Lambda runtime (retries, on-failure destination), as EventBridge does.
 */
export class LocalEventBus {
  readonly deliveries: Delivery[] = [];
  readonly #rules: Rule[];
  readonly #lambda: LocalLambdaRuntime;
  readonly #clock: Clock;
  readonly #defaults: { account: string; region: string };

  constructor(options: { template: CloudFormationTemplate; lambda: LocalLambdaRuntime; clock: Clock; account: string; region: string }) {
    this.#lambda = options.lambda;
    this.#clock = options.clock;
    this.#defaults = { account: options.account, region: options.region };
    this.#rules = rulesOf(options.template);
  }

  get ruleNames(): string[] {
    return this.#rules.map((rule) => rule.name);
  }

  /** Completes an event as EventBridge would (id, time, account, region) for events written by hand. */
  complete(event: Partial<BusEvent> & Pick<BusEvent, 'source' | 'detail-type' | 'detail'>): BusEvent {
    return {
      version: '0',
      id: randomUUID(),
      account: this.#defaults.account,
      region: this.#defaults.region,
      time: this.#clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      resources: [],
      ...event,
    };
  }

  /** The rules and targets an event would reach, without delivering it. */
  route(event: BusEvent): { rule: string; target: string }[] {
    return this.#rules
      .filter((rule) => rule.pattern.matches(event))
      .flatMap((rule) => rule.targets.map((target) => ({ rule: rule.name, target: (target.logicalId && this.#lambda.functionForLogicalId(target.logicalId)) ?? target.logicalId ?? '(unknown)' })));
  }

  /** PutEvents: every rule whose pattern matches delivers the event to each of its targets. */
  async put(event: BusEvent): Promise<Delivery[]> {
    const deliveries: Delivery[] = [];
    for (const rule of this.#rules.filter((candidate) => candidate.pattern.matches(event))) {
      for (const target of rule.targets) {
        const functionName = target.logicalId ? this.#lambda.functionForLogicalId(target.logicalId) : undefined;
        if (!functionName) {
          deliveries.push({ event, rule: rule.name, target: target.logicalId ?? '(unknown)', outcome: 'target-not-in-sandbox' });
          continue;
        }
        const payload = target.input ?? (target.inputPath ? select(event, target.inputPath) : event);
        const result = await this.#lambda.invokeAsync(functionName, payload);
        deliveries.push({ event, rule: rule.name, target: functionName, outcome: result.delivered ? 'delivered' : 'failed-to-destination', attempts: result.attempts });
      }
    }
    this.deliveries.push(...deliveries);
    return deliveries;
  }
}

function rulesOf(template: CloudFormationTemplate): Rule[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Events::Rule' && resource.Properties?.EventPattern !== undefined && resource.Properties.State !== 'DISABLED')
    .map(([logicalId, resource]) => {
      const properties = resource.Properties ?? {};
      const targets = (properties.Targets as { Arn?: unknown; Input?: unknown; InputPath?: unknown; InputTransformer?: unknown }[] | undefined) ?? [];
      return {
        logicalId,
        name: typeof properties.Name === 'string' ? properties.Name : logicalId,
        pattern: compilePattern(properties.EventPattern),
        targets: targets.map((target) => {
          if (target.InputTransformer !== undefined) throw new UnsupportedTargetError(`rule ${logicalId}: InputTransformer is not supported by the sandbox bus`);
          return {
            logicalId: logicalIdOf(target.Arn),
            ...(typeof target.Input === 'string' ? { input: JSON.parse(target.Input) as unknown } : {}),
            ...(typeof target.InputPath === 'string' ? { inputPath: target.InputPath } : {}),
          };
        }),
      };
    });
}

/** InputPath: a JSONPath of plain member access, `$.detail` or `$.detail.x`. */
function select(event: BusEvent, jsonPath: string): unknown {
  let value: unknown = event;
  for (const key of jsonPath.replace(/^\$\.?/, '').split('.').filter(Boolean)) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}
