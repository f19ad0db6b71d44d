import { describe, expect, it } from '@jest/globals';
import { validateDefinition } from '../../../local/stepfunctions/validate.ts';

describe('validateDefinition', () => {
  it('returns no error for a valid definition, and leaves it untouched', () => {
    const definition = { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } };
    expect(validateDefinition(definition)).toEqual([]);
    expect(definition).toEqual({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } });
  });

  it('lists what is wrong', () => {
    const definition = {
      StartAt: 'Start',
      States: { Start: { Type: 'Task', Resource: 'not-an-arn', Next: 'Nowhere' } },
    };
    expect(validateDefinition(definition).map((error) => error.code)).toContain('SCHEMA_VALIDATION_FAILED');
    const unreachable = { StartAt: 'Start', States: { Start: { Type: 'Pass', Next: 'Nowhere' } } };
    expect(validateDefinition(unreachable)).toContainEqual({ code: 'MISSING_TRANSITION_TARGET', message: "Missing 'StartAt'|'Next'|'Default' target: Nowhere" });
  });

  it('reports what asl-validator cannot check instead of throwing', () => {
    expect(validateDefinition(null)).toEqual([{ code: 'SCHEMA_VALIDATION_FAILED', message: 'A state machine definition is a JSON object' }]);
    const stateNamedBranches = {
      StartAt: 'Branches',
      States: { Branches: { Type: 'Parallel', Branches: [{ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }], End: true } },
    };
    expect(validateDefinition(stateNamedBranches).map((error) => error.code)).toEqual(['VALIDATOR_FAILED']);
  });
});
