import { existsSync } from 'node:fs';
import { ConfigError, loadConfigFile } from '../../shared/config/load.ts';
import type { Command } from '../command.ts';

export const configValidate: Command = {
  path: ['config', 'validate'],
  summary: 'Check a configuration file against the schema',
  usage: 'eksops config validate [FILE]',
  help: [
    'Validates FILE (default: eksops.config.yml, else eksops.config.example.yml) with the schema the functions',
    'and `sls package` use. Each error names the path of the offending setting, e.g. clusters[0].maintenanceWindow.',
    'Exit code 0 when valid, 1 when not.',
  ],
  options: {},
  allowPositionals: true,
  async run({ positionals }, io) {
    const file = positionals[0] ?? (existsSync('eksops.config.yml') ? 'eksops.config.yml' : 'eksops.config.example.yml');
    try {
      const config = await loadConfigFile(file);
      io.out(`${file}: valid (${config.clusters.length} cluster${config.clusters.length === 1 ? '' : 's'}; ${enabledCapabilities(config).join(', ') || 'no capability'} enabled${config.dryRun ? '; dry run' : ''})`);
      return 0;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      io.err(`${file}: ${error.issues.length} error${error.issues.length === 1 ? '' : 's'}`);
      for (const issue of error.issues) io.err(`  ${issue.path}: ${issue.message}`);
      return 1;
    }
  },
};

function enabledCapabilities(config: Awaited<ReturnType<typeof loadConfigFile>>): string[] {
  return (['logs', 'scan', 'tags', 'upgrade', 'access'] as const).filter((capability) => config[capability].enabled);
}
