import { describe, expect, it } from '@jest/globals';
import { UPGRADE_COMMANDS } from '../../../cli/commands/upgrade.ts';

const command = (name: string) => {
  const found = UPGRADE_COMMANDS.find((candidate) => candidate.path.join(' ') === `upgrade ${name}`);
  if (!found) throw new Error(`no upgrade ${name}`);
  return found;
};

async function run(name: string, values: Record<string, unknown>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command(name).run({ values, positionals: [] }, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe('eksops upgrade', () => {
  it('plan prints the findings and the ordered stages, read-only', async () => {
    const { code, out } = await run('plan', { cluster: 'prod-eu', to: '1.33', sandbox: true });
    expect(code).toBe(0);
    expect(out.filter((line) => /^\s+\d+\. /.test(line)).map((line) => line.trim())).toEqual([
      '1. control plane 1.32 → 1.33',
      '2. add-ons: coredns v1.11.4-eksbuild.2 → v1.12.1-eksbuild.2, vpc-cni v1.19.2-eksbuild.1 → v1.20.0-eksbuild.1',
      '3. canary node group → 1.33: system',
      '4. node groups → 1.33: batch, gpu',
      '5. node groups → 1.33: web',
      '6. kube-proxy: kube-proxy v1.32.0-eksbuild.3 → v1.33.0-eksbuild.3',
    ]);
  }, 60_000);

  it('start runs the upgrade (in the sandbox) and reports the versions reached', async () => {
    const { code, out } = await run('start', { cluster: 'prod-eu', to: '1.33', sandbox: true });
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^prod-eu-\d{8}T\d{4}Z: SUCCEEDED/);
    expect(JSON.parse(out[1] ?? '{}')).toMatchObject({ cluster: '1.33', nodegroups: { system: '1.33', web: '1.33', batch: '1.33', gpu: '1.33' } });
  }, 60_000);

  it('requires --cluster', async () => {
    expect(await run('plan', {})).toMatchObject({ code: 2, err: ['--cluster is required'] });
  });
});
