import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COMMANDS } from '../../../cli/commands/index.ts';
import { main } from '../../../cli/main.ts';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('eksops CLI', () => {
  it('lists every command with --help', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    for (const command of COMMANDS) expect(out).toContain(command.path.join(' '));
  });

  it.each(COMMANDS.map((command) => [command.path.join(' '), command] as const))('has --help for "%s"', async (_name, command) => {
    const { code, out } = await run(...command.path, '--help');
    expect(code).toBe(0);
    expect(out).toContain(`usage: ${command.usage}`);
  });

  it('says so, and exits 2, for an unknown command or option', async () => {
    expect(await run('frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('unknown command "frobnicate"') });
    expect(await run('config', 'validate', '--bogus')).toMatchObject({ code: 2, err: expect.stringContaining("Unknown option '--bogus'") });
  });

  it('validates a good configuration', async () => {
    const { code, out } = await run('config', 'validate', 'eksops.config.example.yml');
    expect(code).toBe(0);
    expect(out).toBe('eksops.config.example.yml: valid (2 clusters; logs, access enabled)');
  });

  it('names each offending field of a broken configuration', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'eksops-cli-')), 'broken.yml');
    writeFileSync(file, 'region: eu-west-1\nclusters:\n  - name: prod\n    requiredTag: { team: x }\nlogs:\n  retentionDays: 10\n');
    const { code, err } = await run('config', 'validate', file);
    expect(code).toBe(1);
    expect(err.split('\n')).toEqual([
      `${file}: 2 errors`,
      '  clusters[0].requiredTag: unknown setting (check its spelling)',
      expect.stringMatching(/^ {2}logs\.retentionDays: must be one of 1, 3, 5, 7, 14, 30/),
    ]);
  });

  it('runs one sandbox scenario by name and refuses an unknown one', async () => {
    const result = await run('sandbox', '--scenario', 'malformed-event');
    expect(result.code).toBe(0);
    expect(result.out).toContain('1 of 1 scenarios passed');
    expect(await run('sandbox', '--scenario', 'nope')).toMatchObject({ code: 2, err: expect.stringContaining('no scenario "nope"') });
  });
});
