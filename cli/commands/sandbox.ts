import type { Command } from '../command.ts';
import { loadSandboxModule } from '../sandbox-loader.ts';
// Types only (erased): the module itself loads at run time, behind --sandbox.
import type * as SandboxCommands from '../../local/commands/sandbox.ts';


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
    const commands = await loadSandboxModule<typeof SandboxCommands>('sandbox');
    if (values.list) {
      commands.listScenarios(io.out);
      return 0;
    }
    return commands.runScenarios((values.scenario as string[] | undefined) ?? [], io);
  },
};
