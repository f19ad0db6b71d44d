import { SCENARIOS } from '../../local/scenarios/index.ts';
import { runScenario, selectScenarios, UnknownScenarioError } from '../../local/scenarios/run.ts';
import type { Command } from '../command.ts';

export const sandbox: Command = {
  path: ['sandbox'],
  summary: 'Run eksops against an in-memory AWS account and print what happens',
  usage: 'eksops sandbox [--scenario NAME]... [--list]',
  help: [
    'Boots the sandbox (an in-memory AWS account on a virtual clock, the rules and state machines compiled by',
    '`sls package`, a loopback Slack) and runs the scenarios, printing a timeline of each: the events that came',
    'in, the handlers that ran, what they changed, what reached Slack. `npm start` runs them all.',
    '',
    '  --scenario NAME   run only this scenario (repeatable)',
    '  --list            list the scenarios',
    '  --verbose         show the functions\' own logs',
  ],
  options: { scenario: { type: 'string', multiple: true }, list: { type: 'boolean' }, verbose: { type: 'boolean' } },
  async run({ values }, io) {
    if (values.list) {
      const width = Math.max(...SCENARIOS.map((scenario) => scenario.name.length));
      for (const scenario of SCENARIOS) io.out(`${scenario.name.padEnd(width)}  ${scenario.title}`);
      return 0;
    }
    let selected;
    try {
      selected = selectScenarios((values.scenario as string[] | undefined) ?? []);
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
  },
};
