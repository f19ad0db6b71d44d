import { randomUUID } from 'node:crypto';
import { type ErrorDetail, ResourceInUseException, ResourceNotFoundException, type Update, type UpdateParam, type UpdateType } from '@aws-sdk/client-eks';
import type { Clock } from '../../../shared/time/clock.ts';

/** What an update is about: the cluster itself, or one of its node groups or add-ons. */
export interface UpdateScope {
  /** `account/region/cluster`, the key SandboxEks files clusters under. */
  clusterKey: string;
  nodegroupName?: string;
  addonName?: string;
}

interface UpdateRecord {
  scope: UpdateScope;
  update: Update;
  completesAt: number;
  /** Applies the change once the update succeeds (e.g. the new version, the new logging). */
  apply: () => void;
  applied: boolean;
  /** Runs once the update ends, whatever its outcome (e.g. the cluster back to ACTIVE). */
  settled?: ((update: Update) => void) | undefined;
}

export interface PlannedFailure {
  errors: ErrorDetail[];
  /** How far into the update it fails, in ms of virtual time (default: at its end). */
  afterMs?: number;
}

/**
 * The updates of EKS: every UpdateClusterConfig / UpdateClusterVersion / UpdateNodegroup* / UpdateAddon call
 * starts one, which is InProgress for its duration on the virtual clock, then Successful (and its change
 * applied) or Failed with errors. EKS emits no completion event: callers poll DescribeUpdate. While a
 * cluster-level update is in progress, another is refused with ResourceInUseException, as EKS does.
 */
export class EksUpdates {
  readonly #records = new Map<string, UpdateRecord>();
  readonly #plannedFailures: { matches: (scope: UpdateScope, type: UpdateType) => boolean; failure: PlannedFailure }[] = [];
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** The next update matching `matches` fails with these errors (e.g. PodEvictionFailure). */
  planFailure(matches: (scope: UpdateScope, type: UpdateType) => boolean, failure: PlannedFailure): void {
    this.#plannedFailures.push({ matches, failure });
  }

  /** The update in progress on exactly this scope (cluster, node group or add-on), if any. */
  inProgress(scope: UpdateScope): Update | undefined {
    return this.#all().find((record) => sameScope(record.scope, scope) && record.update.status === 'InProgress')?.update;
  }

  /** Refuses a new update while one runs on the same scope. */
  assertIdle(scope: UpdateScope, what: string): void {
    const running = this.inProgress(scope);
    if (running) throw new ResourceInUseException({ message: `${what} has update ${running.id} in progress`, $metadata: {} });
  }

  start(scope: UpdateScope, type: UpdateType, params: UpdateParam[], durationMs: number, apply: () => void, settled?: (update: Update) => void): Update {
    const now = this.#clock.now();
    const update: Update = { id: randomUUID(), status: 'InProgress', type, params, createdAt: now, errors: [] };
    const failureIndex = this.#plannedFailures.findIndex((planned) => planned.matches(scope, type));
    let completesAt = now.getTime() + durationMs;
    let failure: PlannedFailure | undefined;
    if (failureIndex >= 0) {
      failure = this.#plannedFailures.splice(failureIndex, 1)[0]?.failure;
      if (failure?.afterMs !== undefined) completesAt = now.getTime() + failure.afterMs;
    }
    const record: UpdateRecord = { scope, update, completesAt, applied: false, apply: failure ? () => undefined : apply, settled };
    if (failure) record.apply = () => Object.assign(update, { status: 'Failed', errors: failure.errors });
    this.#records.set(update.id ?? '', record);
    return structuredClone(update);
  }

  describe(scope: UpdateScope, updateId: string): Update {
    const record = this.#records.get(updateId);
    if (!record || !sameScope(record.scope, scope)) {
      throw new ResourceNotFoundException({ message: `No update found for ID: ${updateId}`, $metadata: {} });
    }
    this.#settle(record);
    return structuredClone(record.update);
  }

  list(scope: UpdateScope): string[] {
    return this.#all()
      .filter((record) => sameScope(record.scope, scope))
      .map((record) => record.update.id ?? '');
  }

  #all(): UpdateRecord[] {
    const records = [...this.#records.values()];
    for (const record of records) this.#settle(record);
    return records;
  }

  #settle(record: UpdateRecord): void {
    if (record.applied || this.#clock.now().getTime() < record.completesAt) return;
    record.applied = true;
    if (record.update.status === 'InProgress') record.update.status = 'Successful';
    record.apply();
    record.settled?.(record.update);
  }

  /** Settles every update whose time has come (their changes become visible to Describe* calls). */
  settleDue(): void {
    this.#all();
  }

  /** Every update in progress under a cluster, whatever its scope. */
  inProgressUnder(clusterKey: string): Update[] {
    return this.#all()
      .filter((record) => record.scope.clusterKey === clusterKey && record.update.status === 'InProgress')
      .map((record) => structuredClone(record.update));
  }
}

function sameScope(a: UpdateScope, b: UpdateScope): boolean {
  return a.clusterKey === b.clusterKey && a.nodegroupName === b.nodegroupName && a.addonName === b.addonName;
}
