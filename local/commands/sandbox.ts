import { SCENARIOS } from '../scenarios/index.ts';
import { runScenario, selectScenarios, UnknownScenarioError } from '../scenarios/run.ts';

/** `eksops sandbox --list`. */
export function listScenarios(write: (line: string) => void): void {
  const width = Math.max(...SCENARIOS.map((scenario) => scenario.name.length));
  for (const scenario of SCENARIOS) write(`${scenario.name.padEnd(width)}  ${scenario.title}`);
}

/** `eksops sandbox [--scenario NAME]...`: runs the scenarios and returns the exit code (2: unknown name). */
export async function runScenarios(names: readonly string[], io: { out: (line: string) => void; err: (line: string) => void }): Promise<number> {
  let selected;
  try {
    selected = selectScenarios(names);
  } catch (error) {
    if (error instanceof UnknownScenarioError) {
      io.err(error.message);
      return 2;
    }
    throw error;
  }
  const results = [];
  for (const scenario of selected) results.push(await runScenario(scenario, io.out));
  const failed = results.filter((result) => !result.passed);
  io.out(`${results.length - failed.length} of ${results.length} scenarios passed${failed.length ? `; failed: ${failed.map((result) => result.name).join(', ')}` : ''}`);
  return failed.length === 0 ? 0 : 1;
}
