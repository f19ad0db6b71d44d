import type { SandboxChange } from '../account/account.ts';
import type { BusEvent, Delivery } from '../eventbus/bus.ts';
import type { Invocation } from '../lambda/runtime.ts';
import type { Sandbox } from '../sandbox.ts';

/**
 * The readable account of a scenario: what event came in, which handler ran and with what result, what it
 * changed in the account, and what reached Slack, each stamped with the virtual time.
 */
export class Timeline {
  readonly lines: string[] = [];
  readonly #sandbox: Sandbox;
  readonly #write: (line: string) => void;
  #pendingChanges: SandboxChange[] = [];
  #slackSeen = 0;

  constructor(sandbox: Sandbox, write: (line: string) => void) {
    this.#sandbox = sandbox;
    this.#write = write;
    sandbox.aws.account.onChange((change) => this.#pendingChanges.push(change));
    sandbox.lambda.onInvocation((invocation) => this.#invoked(invocation));
  }

  note(text: string): void {
    this.flush();
    this.#line('step', text);
  }

  /** An event arrives on the bus, with the rules and targets it will reach. */
  incoming(event: BusEvent, routes: { rule: string; target: string }[]): void {
    this.flush();
    const routing = routes.length === 0 ? 'matches no rule' : routes.map((route) => `→ rule ${route.rule} → ${route.target}`).join('; ');
    this.#line('event', `${event.source} "${event['detail-type']}"${eventName(event)} ${routing}`);
  }

  /** What became of the deliveries that did not simply succeed. */
  delivered(deliveries: Delivery[]): void {
    this.flush();
    for (const delivery of deliveries.filter((candidate) => candidate.outcome !== 'delivered')) {
      const attempts = delivery.attempts ? ` after ${delivery.attempts} attempts` : '';
      const outcome = delivery.outcome === 'failed-to-destination' ? `sent to the on-failure destination${attempts}` : 'not delivered: the target is not part of the sandbox';
      this.#line('event', `${delivery.target}: ${outcome}`);
    }
  }

  /** Prints the account changes and Slack messages not yet shown. */
  flush(): void {
    for (const change of this.#pendingChanges) {
      this.#line('change', `${change.service} ${change.action} ${change.resource}${change.detail ? `: ${change.detail}` : ''}`);
    }
    this.#pendingChanges = [];
    const messages = this.#sandbox.slack.messages;
    for (const message of messages.slice(this.#slackSeen)) {
      const [first, ...rest] = this.#sandbox.slack.summary(message);
      this.#line('slack', `${message.channel}: ${first ?? ''}`);
      for (const line of rest) this.#continuation(line);
    }
    this.#slackSeen = messages.length;
  }

  #invoked(invocation: Invocation): void {
    const attempt = invocation.attempt > 1 ? ` (attempt ${invocation.attempt})` : '';
    const outcome = invocation.error ? `✗ ${invocation.error.name}: ${invocation.error.message}` : `✓ ${compact(invocation.result)}`;
    this.#line('lambda', `${invocation.functionName}${attempt} ${outcome}`);
    this.flush();
  }

  #line(kind: string, text: string): void {
    const time = this.#sandbox.aws.clock.now().toISOString().slice(11, 19);
    this.#emit(`  ${time}  ${kind.padEnd(7)} ${text}`);
  }

  #continuation(text: string): void {
    this.#emit(`  ${' '.repeat(8)}  ${' '.repeat(7)}   ${text}`);
  }

  #emit(line: string): void {
    this.lines.push(line);
    this.#write(line);
  }
}

function eventName(event: { detail: unknown }): string {
  const detail = event.detail as { eventName?: unknown } | null;
  return typeof detail?.eventName === 'string' ? ` ${detail.eventName}` : '';
}

function compact(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
