import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfigFile, parseConfig, parseConfigYaml } from '../../../shared/config/load.ts';

function issuesOf(document: unknown): { path: string; message: string }[] {
  try {
    parseConfig(document);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

const minimal = { region: 'eu-west-1' };

describe('configuration schema', () => {
  it('accepts the documented example and fills defaults', async () => {
    const config = await loadConfigFile('eksops.config.example.yml');
    expect(config.clusters.map((cluster) => cluster.name)).toEqual(['prod-eu', 'staging']);
    expect(config.clusters[0]?.maintenanceWindow).toEqual({ schedule: 'cron(0 2 ? * SUN *)', timezone: 'Europe/Paris', durationMinutes: 240 });
    expect(config.upgrade.defaults.nodegroupMaxConcurrency).toBe(1);
  });

  it('fills every default from a minimal document', () => {
    const config = parseConfig(minimal);
    expect(config).toMatchObject({ dryRun: false, accounts: [], clusters: [], logs: { enabled: false, retentionDays: 30 }, tags: { schedule: 'rate(1 hour)' }, access: { tagCreator: true } });
  });

  it.each([
    [{ ...minimal, regoin: 'x' }, 'regoin', 'unknown setting (check its spelling)'],
    [{ ...minimal, clusters: [{ name: 'a', maintenanceWindow: { schedule: 'cron(0 2 ? * SUN *)', durationMinutes: 120, timzone: 'UTC' } }] }, 'clusters[0].maintenanceWindow.timzone', 'unknown setting (check its spelling)'],
    [{ ...minimal, notify: { slack: { mode: 'bot', secret: { ssmParameter: '/x' }, defaultChannel: '#a', channel: { scan: '#b' } } } }, 'notify.slack.channel', 'unknown setting (check its spelling)'],
  ])('rejects an unknown key and names it: %j', (document, path, message) => {
    expect(issuesOf(document)).toContainEqual({ path, message });
  });

  it.each([
    ['region', { region: 'europe' }, 'region'],
    ['cluster name', { ...minimal, clusters: [{ name: '-bad' }] }, 'clusters[0].name'],
    ['window duration', { ...minimal, clusters: [{ name: 'a', maintenanceWindow: { schedule: 'cron(0 2 ? * SUN *)', durationMinutes: 30 } }] }, 'clusters[0].maintenanceWindow.durationMinutes'],
    ['window cron with five fields', { ...minimal, clusters: [{ name: 'a', maintenanceWindow: { schedule: 'cron(0 2 * * SUN)', durationMinutes: 120 } }] }, 'clusters[0].maintenanceWindow.schedule'],
    ['time zone', { ...minimal, clusters: [{ name: 'a', maintenanceWindow: { schedule: 'cron(0 2 ? * SUN *)', timezone: 'Mars/Olympus', durationMinutes: 120 } }] }, 'clusters[0].maintenanceWindow.timezone'],
    ['target version', { ...minimal, upgrade: { defaults: { targetVersion: '1.3' } } }, 'upgrade.defaults.targetVersion'],
    ['retention', { ...minimal, logs: { retentionDays: 10 } }, 'logs.retentionDays'],
    ['destination type', { ...minimal, logs: { destinations: [{ name: 'x', type: 'syslog', url: 'https://a' }] } }, 'logs.destinations[0].type'],
    ['destination url', { ...minimal, logs: { destinations: [{ name: 'x', type: 'http', url: 'ftp://a' }] } }, 'logs.destinations[0].url'],
    ['drop regex', { ...minimal, logs: { drop: [{ messagePattern: '(' }] } }, 'logs.drop[0].messagePattern'],
    ['secret ref', { ...minimal, notify: { slack: { mode: 'webhook', secret: { ssmParameter: 'no-slash' } } } }, 'notify.slack.secret.ssmParameter'],
    ['bot without channel', { ...minimal, notify: { slack: { mode: 'bot', secret: { ssmParameter: '/a' } } } }, 'notify.slack.defaultChannel'],
    ['severity', { ...minimal, scan: { policy: { failOn: 'SEVERE' } } }, 'scan.policy.failOn'],
    ['account id', { ...minimal, accounts: [{ id: '123', roleArn: 'arn:aws:iam::123456789012:role/x' }] }, 'accounts[0].id'],
  ])('names the offending field: %s', (_what, document, path) => {
    expect(issuesOf(document).map((issue) => issue.path)).toContain(path);
  });

  it.each([
    ['a cluster in an account that has no role', { ...minimal, clusters: [{ name: 'a', account: '222233334444' }] }, 'clusters[0].account', /no entry under accounts/],
    ['the same cluster twice', { ...minimal, clusters: [{ name: 'a' }, { name: 'a' }] }, 'clusters[1].name', /listed twice/],
    ['upgrades without a window', { ...minimal, upgrade: { enabled: true }, clusters: [{ name: 'a' }] }, 'clusters[0].maintenanceWindow', /maintenance window/],
    ['log shipping without destination', { ...minimal, logs: { enabled: true }, clusters: [{ name: 'a' }] }, 'logs.destinations', /no destination/],
    ['a capability without clusters', { ...minimal, tags: { enabled: true } }, 'tags.enabled', /no cluster/],
    ['duplicate destination names', { ...minimal, logs: { destinations: [{ name: 'a', type: 's3', bucket: 'bkt' }, { name: 'a', type: 's3', bucket: 'bkt' }] } }, 'logs.destinations[1].name', /duplicate/],
    ['channels in webhook mode', { ...minimal, notify: { slack: { mode: 'webhook', secret: { ssmParameter: '/a' }, defaultChannel: '#a' } } }, 'notify.slack.defaultChannel', /only used in bot mode/],
  ])('checks across fields: %s', (_what, document, path, message) => {
    expect(issuesOf(document)).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('reports YAML syntax errors with their line', () => {
    expect(() => parseConfigYaml('region: eu-west-1\nclusters:\n  - name: a\n   bad: indent\n', 'broken.yml')).toThrow(/broken.yml.*\n.*line 4/);
  });

  it('rejects duplicate YAML keys instead of keeping the last one', () => {
    expect(() => parseConfigYaml('region: eu-west-1\nregion: us-east-1\n')).toThrow(ConfigError);
  });

  it('says which file cannot be read', async () => {
    await expect(loadConfigFile('does-not-exist.yml')).rejects.toThrow(/does-not-exist.yml.*cannot be read/s);
  });
});
