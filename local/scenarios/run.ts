import { startSandbox } from '../sandbox.ts';
import { SCENARIOS } from './index.ts';
import type { Scenario, ScenarioContext } from './scenario.ts';
import { Timeline } from './timeline.ts';

export interface ScenarioResult {
  name: string;
  passed: boolean;
  checks: { description: string; holds: boolean }[];
  error?: string;
  lines: string[];
}

export class UnknownScenarioError extends Error {
  override readonly name = 'UnknownScenarioError';
}

export function selectScenarios(names: readonly string[]): Scenario[] {
  if (names.length === 0) return [...SCENARIOS];
  return names.map((name) => {
    const scenario = SCENARIOS.find((candidate) => candidate.name === name);
    if (!scenario) throw new UnknownScenarioError(`no scenario "${name}"; the scenarios are: ${SCENARIOS.map((candidate) => candidate.name).join(', ')}`);
    return scenario;
  });
}

/** Runs a scenario in a sandbox of its own and prints its timeline through `write`. */
export async function runScenario(scenario: Scenario, write: (line: string) => void): Promise<ScenarioResult> {
  const sandbox = await startSandbox({ ...scenario.sandbox, log: write });
  const checks: ScenarioResult['checks'] = [];
  const timeline = new Timeline(sandbox, write);
  write(`▶ ${scenario.name}: ${scenario.title}`);
  const context: ScenarioContext = {
    sandbox,
    timeline,
    step: (text) => timeline.note(text),
    publish: async (event) => {
      timeline.incoming(event, sandbox.bus.route(event));
      timeline.delivered(await sandbox.bus.put(event));
    },
    check: (description, holds) => {
      checks.push({ description, holds });
      timeline.flush();
      write(`  ${holds ? '✔' : '✘'} ${description}`);
    },
  };
  let error: string | undefined;
  try {
    await scenario.run(context);
    timeline.flush();
  } catch (thrown) {
    error = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
    write(`  ✘ the scenario stopped: ${error}`);
  } finally {
    await sandbox.close();
  }
  const passed = error === undefined && checks.every((check) => check.holds);
  write(`${passed ? '✔' : '✘'} ${scenario.name} ${passed ? 'passed' : 'FAILED'} (${checks.filter((check) => check.holds).length}/${checks.length} checks)\n`);
  return { name: scenario.name, passed, checks, lines: timeline.lines, ...(error ? { error } : {}) };
}
