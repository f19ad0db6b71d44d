import type { Clock } from '../../shared/time/clock.ts';

/** What a command handler returns: the SDK output without `$metadata`, which the SDK plugin adds. */
export type ServiceOutput<T> = Omit<T, '$metadata'>;

/** Where a resource of the in-memory account lives. */
export interface AccountRegion {
  accountId: string;
  region: string;
}

/** One SDK call as the in-memory account sees it. */
export interface SandboxCall {
  /** SDK v3 `context.clientName`, e.g. `EKSClient`. */
  clientName: string;
  /** SDK v3 `context.commandName`, e.g. `DescribeClusterCommand`. */
  commandName: string;
  input: unknown;
  accountId: string;
  region: string;
}

export interface CallContext {
  accountId: string;
  region: string;
  clock: Clock;
  /** Records a change of state, for the sandbox timeline and for tests. */
  changed(change: Omit<SandboxChange, 'at' | 'accountId' | 'region'>): void;
}

export interface SandboxChange {
  at: Date;
  accountId: string;
  region: string;
  service: string;
  action: string;
  resource: string;
  detail?: string;
}

export interface SandboxCallRecord {
  at: Date;
  service: string;
  operation: string;
  accountId: string;
  region: string;
  error?: string;
}

// Handlers are typed by each service with the SDK's own input/output types; `never` keeps this map
// assignable from any of them without `any`.
export type CommandHandler = (input: never, context: CallContext) => unknown;

/** A service of the in-memory account: the SDK client it answers for, and its commands. */
export interface SandboxService {
  readonly clientName: string;
  /** Short name used in the timeline: `eks`, `ssm`. */
  readonly label: string;
  readonly commands: Readonly<Record<string, CommandHandler>>;
}

interface Fault {
  clientName: string;
  commandName: string;
  remaining: number;
  error: () => Error;
}

export class SandboxNotImplementedError extends Error {
  override readonly name = 'SandboxNotImplementedError';
}

/**
 * The in-memory AWS account behind the sandbox and the integration tests. Each capability registers the
 * services it needs; the SDK plugin (`sdk-plugin.ts`) routes every command of a real SDK v3 client here.
 */
export class SandboxAccount {
  readonly accountId: string;
  readonly defaultRegion: string;
  readonly clock: Clock;
  readonly changes: SandboxChange[] = [];
  readonly calls: SandboxCallRecord[] = [];
  readonly #services = new Map<string, SandboxService>();
  readonly #parts: SandboxService[] = [];
  readonly #faults: Fault[] = [];
  readonly #listeners: ((change: SandboxChange) => void)[] = [];
  readonly #loopback = new Map<string, string>();

  constructor(options: { clock: Clock; accountId?: string; defaultRegion?: string }) {
    this.clock = options.clock;
    this.accountId = options.accountId ?? '111122223333';
    this.defaultRegion = options.defaultRegion ?? 'eu-west-1';
  }

  /**
   * Adds a service. Several parts may answer for one SDK client (EKS clusters, node groups, add-ons): their
   * commands are merged, and a command answered twice is a mistake.
   */
  register<S extends SandboxService>(service: S): S {
    this.#parts.push(service);
    const existing = this.#services.get(service.clientName);
    if (!existing) {
      this.#services.set(service.clientName, service);
      return service;
    }
    const duplicate = Object.keys(service.commands).find((command) => command in existing.commands);
    if (duplicate) throw new Error(`${service.clientName}.${duplicate} is answered by two sandbox services`);
    this.#services.set(service.clientName, { clientName: service.clientName, label: existing.label, commands: { ...existing.commands, ...service.commands } });
    return service;
  }

  /** The registered service part of that class, e.g. `account.service(SandboxEc2)`. */
  service<S extends SandboxService>(Service: abstract new (...args: never[]) => S): S {
    const found = this.#parts.find((part): part is S => part instanceof Service);
    if (!found) throw new Error(`no ${Service.name} is registered in the sandbox account`);
    return found;
  }

  /** Sends every call of that SDK client to a real server on loopback instead (e.g. DynamoDB to dynalite). */
  useLoopbackEndpoint(clientName: string, endpoint: string): void {
    this.#loopback.set(clientName, endpoint);
  }

  loopbackEndpoint(clientName: string): string | undefined {
    return this.#loopback.get(clientName);
  }

  onChange(listener: (change: SandboxChange) => void): void {
    this.#listeners.push(listener);
  }

  /** The next `times` calls of that command fail with `error()` (e.g. a ThrottlingException). */
  injectFault(fault: { clientName: string; commandName: string; times?: number; error: () => Error }): void {
    this.#faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  /** How many calls an operation received, e.g. `callCount('eks', 'TagResource')`. */
  callCount(service: string, operation?: string): number {
    return this.calls.filter((call) => call.service === service && (operation === undefined || call.operation === operation)).length;
  }

  async handle(call: SandboxCall): Promise<unknown> {
    const service = this.#services.get(call.clientName);
    const operation = call.commandName.replace(/Command$/, '');
    const record: SandboxCallRecord = {
      at: this.clock.now(),
      service: service?.label ?? call.clientName,
      operation,
      accountId: call.accountId,
      region: call.region,
    };
    this.calls.push(record);
    try {
      const fault = this.#takeFault(call);
      if (fault) throw fault;
      const handler = service?.commands[call.commandName];
      if (!service || !handler) {
        throw new SandboxNotImplementedError(`the sandbox account does not implement ${call.clientName}.${operation}`);
      }
      return await handler(call.input as never, this.#context(call, service));
    } catch (error) {
      record.error = (error as Error).name;
      throw error;
    }
  }

  #takeFault(call: SandboxCall): Error | undefined {
    const fault = this.#faults.find((candidate) => candidate.clientName === call.clientName && candidate.commandName === call.commandName && candidate.remaining > 0);
    if (!fault) return undefined;
    fault.remaining -= 1;
    return fault.error();
  }

  #context(call: SandboxCall, service: SandboxService): CallContext {
    return {
      accountId: call.accountId,
      region: call.region,
      clock: this.clock,
      changed: (change) => {
        const full: SandboxChange = { at: this.clock.now(), accountId: call.accountId, region: call.region, ...change, service: change.service || service.label };
        this.changes.push(full);
        for (const listener of this.#listeners) listener(full);
      },
    };
  }
}
