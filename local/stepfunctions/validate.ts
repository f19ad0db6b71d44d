import aslValidator from 'asl-validator';
import type { AslDefinition } from './asl.ts';

export interface DefinitionError {
  /** asl-validator's error code, e.g. `MISSING_TRANSITION_TARGET` or `SCHEMA_VALIDATION_FAILED`. */
  readonly code: string;
  readonly message: string;
}

/** What is wrong with an ASL definition (JSONPaths and Task ARNs included); empty when it is valid. */
export function validateDefinition(definition: unknown): DefinitionError[] {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    return [{ code: 'SCHEMA_VALIDATION_FAILED', message: 'A state machine definition is a JSON object' }];
  }
  try {
    // asl-validator writes a default QueryLanguage into every state it checks: it gets a copy.
    const { errors } = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
    return errors.map((error) => ({ code: error['Error code'], message: error.Message }));
  } catch (thrown) {
    // It selects nested machines by key anywhere in the document, so a state named e.g. "Branches" crashes it.
    return [{ code: 'VALIDATOR_FAILED', message: `asl-validator could not check this definition: ${String(thrown)}` }];
  }
}

export class InvalidDefinitionError extends Error {
  readonly errors: readonly DefinitionError[];

  constructor(errors: readonly DefinitionError[]) {
    super(`Invalid state machine definition:\n${errors.map((error) => `  ${error.code}: ${error.message}`).join('\n')}`);
    this.name = 'InvalidDefinitionError';
    this.errors = errors;
  }
}

export function assertValidDefinition(definition: unknown): asserts definition is AslDefinition {
  const errors = validateDefinition(definition);
  if (errors.length > 0) throw new InvalidDefinitionError(errors);
}
