import type { StateMachineDefinition } from 'aws-local-stepfunctions';

/**
 * The Amazon States Language document model, typed as aws-local-stepfunctions types it (that library is what
 * executes it), and the walk over nested state machines (Parallel branches, Map iterators) at any depth.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type AslDefinition = StateMachineDefinition;
export type AslState = AslDefinition['States'][string];
export type AslStateOf<Type extends AslState['Type']> = Extract<AslState, { Type: Type }>;
export type TaskState = AslStateOf<'Task'>;
export type WaitState = AslStateOf<'Wait'>;

/** A top-level definition, a Parallel branch or a Map iterator: anything with `StartAt` and `States`. */
export interface AslScope {
  StartAt: string;
  States: Record<string, AslState>;
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A copy of `scope` in which every state, at any depth, is replaced by `transform(state, name)`. Nested
 * scopes are transformed before the state that holds them, so `transform` sees a Parallel or Map state whose
 * branches are already transformed.
 */
export function mapStates<Scope extends AslScope>(scope: Scope, transform: (state: AslState, name: string) => AslState): Scope {
  const States = Object.fromEntries(
    Object.entries(scope.States).map(([name, state]) => [name, transform(mapNestedScopes(state, transform), name)]),
  );
  return { ...scope, States };
}

function mapNestedScopes(state: AslState, transform: (state: AslState, name: string) => AslState): AslState {
  if (state.Type === 'Parallel') {
    return { ...state, Branches: state.Branches.map((branch) => mapStates(branch, transform)) };
  }
  if (state.Type === 'Map') {
    return {
      ...state,
      ...(state.Iterator && { Iterator: mapStates(state.Iterator, transform) }),
      ...(state.ItemProcessor && { ItemProcessor: mapStates(state.ItemProcessor, transform) }),
    };
  }
  return { ...state };
}

/** Every state of `scope`, at any depth, with its name. */
export function listStates(scope: AslScope): Array<{ name: string; state: AslState }> {
  return Object.entries(scope.States).flatMap(([name, state]) => [{ name, state }, ...nestedScopes(state).flatMap(listStates)]);
}

function nestedScopes(state: AslState): AslScope[] {
  if (state.Type === 'Parallel') return state.Branches;
  if (state.Type === 'Map') return [state.Iterator, state.ItemProcessor].filter((scope) => scope !== undefined);
  return [];
}

/** `value` as JSON carries it (what a Lambda result or a callback output becomes): `undefined` is `null`. */
export function toJsonValue(value: unknown): JsonValue {
  const json: JsonValue = JSON.parse(JSON.stringify(value ?? null));
  return json;
}
