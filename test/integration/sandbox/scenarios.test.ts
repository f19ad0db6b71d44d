import { describe, expect, it } from '@jest/globals';
import { SCENARIOS } from '../../../local/scenarios/index.ts';
import { runScenario } from '../../../local/scenarios/run.ts';

describe('every sandbox scenario (what `npm start` runs)', () => {
  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s keeps its promises', async (_name, scenario) => {
    const lines: string[] = [];
    const result = await runScenario(scenario, (line) => lines.push(line));
    expect({ error: result.error, failed: result.checks.filter((check) => !check.holds) }).toEqual({ error: undefined, failed: [] });
    expect(result.checks.length).toBeGreaterThan(0);
    expect(lines.some((line) => /^\s+\d\d:\d\d:\d\d {2}event /.test(line))).toBe(true);
  });
});
