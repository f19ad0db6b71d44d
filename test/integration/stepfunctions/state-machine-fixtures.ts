import { readFileSync } from 'node:fs';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../local/stepfunctions/asl.ts';
import type { ExecutionResult, HistoryEvent } from '../../../local/stepfunctions/runner.ts';

/** An ASL definition from test/fixtures/stepfunctions, parsed as the runner receives a compiled one. */
export function loadStateMachine(name: string): JsonObject {
  const parsed: JsonValue = JSON.parse(readFileSync(new URL(`../../fixtures/stepfunctions/${name}.asl.json`, import.meta.url), 'utf8'));
  if (!isJsonObject(parsed)) throw new Error(`${name}.asl.json is not a JSON object`);
  return parsed;
}

export function field(value: JsonValue | undefined, key: string): JsonValue {
  if (!isJsonObject(value) || value[key] === undefined) throw new Error(`expected a field "${key}" in ${JSON.stringify(value)}`);
  return value[key];
}

export function numberField(value: JsonValue | undefined, key: string): number {
  const found = field(value, key);
  if (typeof found !== 'number') throw new Error(`expected "${key}" to be a number in ${JSON.stringify(value)}`);
  return found;
}

export function stringField(value: JsonValue | undefined, key: string): string {
  const found = field(value, key);
  if (typeof found !== 'string') throw new Error(`expected "${key}" to be a string in ${JSON.stringify(value)}`);
  return found;
}

/** Virtual seconds between the start and the end of an execution. */
export function elapsedSeconds(result: ExecutionResult): number {
  return (result.stopDate.getTime() - result.startDate.getTime()) / 1000;
}

/** Virtual seconds since the execution started at which `type` happened to `stateName`, in order. */
export function secondsOf(result: ExecutionResult, type: HistoryEvent['type'], stateName: string): number[] {
  return result.history
    .filter((event) => event.type === type && event.stateName === stateName)
    .map((event) => (event.timestamp.getTime() - result.startDate.getTime()) / 1000);
}

/** A value a test awaits until a handler provides it. */
export class Mailbox<Key, Value> {
  readonly #waiting = new Map<Key, (value: Value) => void>();
  readonly #delivered = new Map<Key, Value>();

  deliver(key: Key, value: Value): void {
    const waiter = this.#waiting.get(key);
    if (waiter) waiter(value);
    else this.#delivered.set(key, value);
  }

  receive(key: Key): Promise<Value> {
    const delivered = this.#delivered.get(key);
    if (delivered !== undefined) return Promise.resolve(delivered);
    return new Promise((resolve) => this.#waiting.set(key, resolve));
  }
}
