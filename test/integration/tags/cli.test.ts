import { describe, expect, it } from '@jest/globals';
import { runTags } from '../../../cli/commands/tags.ts';
import { seedManagedGroup } from '../../../local/tags-fleet.ts';
import { tagsSandbox } from './tags-sandbox.ts';

function setup() {
  const sandbox = tagsSandbox();
  for (const cluster of ['prod', 'staging']) {
    sandbox.fleet.eks.seedCluster(sandbox.here, cluster, { version: '1.33' });
    seedManagedGroup(sandbox.fleet, sandbox.here, cluster, { name: 'web', instances: 1, tags: { team: cluster } });
  }
  const deps = { config: sandbox.config(['prod', 'staging']), clients: sandbox.aws.clients, clock: sandbox.aws.clock };
  const lines: string[] = [];
  const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(`ERR ${line}`) };
  return { ...sandbox, deps, lines, io };
}

describe('eksops tags plan / apply', () => {
  it('plan prints the exact diff of the named cluster and writes nothing', async () => {
    const { deps, io, lines, mutatingCalls } = setup();
    expect(await runTags('plan', ['prod'], deps, io)).toBe(0);
    expect(lines).toEqual([
      'cluster prod',
      '  ~ auto-scaling-group eks-web-prod: +team=prod (propagate) +eksops:managed=team;h=a8f1248a',
      expect.stringMatching(/^ {2}~ instance i-\w+: \+team=prod \+eksops:managed=team;h=a8f1248a$/),
      expect.stringMatching(/^ {2}~ volume vol-\w+: \+team=prod \+eksops:managed=team;h=a8f1248a$/),
      expect.stringMatching(/^ {2}~ network-interface eni-\w+: \+team=prod \+eksops:managed=team;h=a8f1248a$/),
      '  4 resource(s) would change',
    ]);
    expect(mutatingCalls()).toBe(0);
  });

  it('apply writes, and a plan afterwards shows every cluster converged', async () => {
    const { deps, io, lines } = setup();
    expect(await runTags('apply', undefined, deps, io)).toBe(0);
    lines.length = 0;
    await runTags('plan', undefined, deps, io);
    expect(lines).toEqual(['cluster prod', '  converged: nothing to write', 'cluster staging', '  converged: nothing to write']);
  });

  it('refuses a cluster that is not configured', async () => {
    const { deps, io, lines } = setup();
    expect(await runTags('plan', ['nope'], deps, io)).toBe(2);
    expect(lines).toEqual(['ERR eksops tags plan: not in the configuration: nope']);
  });
});
