import { existsSync } from 'node:fs';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsClientFactory } from '../../shared/aws/client-factory.ts';
import { loadConfigFile } from '../../shared/config/load.ts';
import type { Config } from '../../shared/config/schema.ts';
import { type Clock, systemClock } from '../../shared/time/clock.ts';
import { observeCluster } from '../../shared/upgrade/observe.ts';
import { hopHistory } from '../../shared/upgrade/hop-history.ts';
import { planUpgrade } from '../../shared/upgrade/plan.ts';
import { planLines } from '../../shared/upgrade/plan-report.ts';
import { executionName } from '../../shared/upgrade/execution-name.ts';
import { clusterUpgradeConfig } from '../../shared/upgrade/settings.ts';
import { upgradeStateMachineArn } from '../../shared/upgrade/state-machine.ts';
import type { UpgradeClients } from '../../shared/upgrade/clients.ts';
import { upgradeClientsFor } from '../../shared/upgrade/clients.ts';
import type { CliIo, Command } from '../command.ts';
import { loadSandboxModule } from '../sandbox-loader.ts';
// Types only (erased): the module itself loads at run time, behind --sandbox.
import type * as UpgradeSandboxCommands from '../../local/commands/upgrade.ts';


const configFile = (value: unknown) => (typeof value === 'string' ? value : existsSync('eksops.config.yml') ? 'eksops.config.yml' : 'eksops.config.example.yml');

async function printPlan(clients: UpgradeClients, config: Config, cluster: string, to: string | undefined, clock: Clock, io: CliIo): Promise<number> {
  const configured = clusterUpgradeConfig(config, cluster);
  const settings = configured?.settings ?? config.upgrade.defaults;
  const requested = to ?? settings.targetVersion;
  const now = clock.now();
  const snapshot = await observeCluster(clients, cluster, { now, requested, ...(settings.kubernetesChecks ? { kubernetes: { clock } } : {}) });
  // The same target, catalogs, hop history and planner as the run's first step (begin.ts).
  const plan = planUpgrade(snapshot, settings, snapshot.target, now, hopHistory(snapshot, []));
  for (const line of planLines(cluster, snapshot.version, snapshot.target, plan)) io.out(line);
  return plan.blockedAt ? 1 : 0;
}

const planCommand = (clock: Clock): Command => ({
  path: ['upgrade', 'plan'],
  summary: 'Pre-flight findings and the ordered stages of an upgrade (read-only)',
  usage: 'eksops upgrade plan --cluster NAME [--to 1.34] [--region R] [--config FILE] [--sandbox]',
  help: [
    'Reads the cluster (DescribeCluster, node groups, add-ons, Upgrade Insights, subnets, the versions EKS offers)',
    'and prints the pre-flight findings (BLOCK / WARN / INFO with evidence and remedy) and every stage to the',
    'target, in order. Changes nothing. Exit code 1 when a BLOCK finding stops the plan.',
    '',
    '  --cluster NAME  the cluster (its settings come from the configuration when it is listed there)',
    '  --to VERSION    stop at this version (default: upgrade.targetVersion, else the newest EKS offers)',
    '  --sandbox       plan against the sandbox\'s demo cluster (1.32, 4 add-ons, 4 node groups) instead of AWS',
  ],
  options: { cluster: { type: 'string' }, to: { type: 'string' }, region: { type: 'string' }, config: { type: 'string' }, sandbox: { type: 'boolean' } },
  async run({ values }, io) {
    const cluster = values.cluster;
    if (typeof cluster !== 'string') {
      io.err('--cluster is required');
      return 2;
    }
    const to = typeof values.to === 'string' ? values.to : undefined;
    if (values.sandbox) {
      const { openUpgradeSandbox } = await loadSandboxModule<typeof UpgradeSandboxCommands>('upgrade');
      const sandbox = await openUpgradeSandbox(cluster);
      try {
        return await printPlan(sandbox.clients, sandbox.config, cluster, to, sandbox.clock, io);
      } finally {
        await sandbox.close();
      }
    }
    const config = await loadConfigFile(configFile(values.config));
    const region = typeof values.region === 'string' ? values.region : (clusterUpgradeConfig(config, cluster)?.region ?? config.region);
    const factory = new AwsClientFactory({ defaultRegion: region, accounts: config.accounts });
    const configured = clusterUpgradeConfig(config, cluster, region);
    const target = { region, ...(configured?.accountId ? { accountId: configured.accountId } : {}) };
    return printPlan(upgradeClientsFor(factory, target), config, cluster, to, clock, io);
  },
});

const startCommand = (clock: Clock): Command => ({
  path: ['upgrade', 'start'],
  summary: 'Start cluster-upgrade for a cluster now (a window opening now)',
  usage: 'eksops upgrade start --cluster NAME [--to 1.34] [--window-minutes N] [--stage dev] [--region R] [--config FILE] [--sandbox]',
  help: [
    'Starts the deployed state machine eksops-<stage>-cluster-upgrade with a window that opens now and lasts',
    'the cluster\'s maintenanceWindow.durationMinutes (or --window-minutes). The execution is named after the',
    'cluster and the window, so a second start in the same minute is refused by Step Functions, and a second',
    'start in another minute is refused by the cluster lock. With --sandbox, runs it in the sandbox instead.',
  ],
  options: { cluster: { type: 'string' }, to: { type: 'string' }, 'window-minutes': { type: 'string' }, stage: { type: 'string' }, region: { type: 'string' }, config: { type: 'string' }, sandbox: { type: 'boolean' } },
  async run({ values }, io) {
    const cluster = values.cluster;
    if (typeof cluster !== 'string') {
      io.err('--cluster is required');
      return 2;
    }
    const to = typeof values.to === 'string' ? values.to : undefined;
    const windowMinutes = typeof values['window-minutes'] === 'string' ? Number(values['window-minutes']) : undefined;
    if (values.sandbox) {
      const { startUpgradeInSandbox } = await loadSandboxModule<typeof UpgradeSandboxCommands>('upgrade');
      return startUpgradeInSandbox({ cluster, ...(to ? { targetVersion: to } : {}), ...(windowMinutes ? { windowMinutes } : {}) }, io.out);
    }
    const config = await loadConfigFile(configFile(values.config));
    const configured = clusterUpgradeConfig(config, cluster);
    if (!configured) {
      io.err(`cluster ${cluster} is not in the configuration`);
      return 2;
    }
    const stage = typeof values.stage === 'string' ? values.stage : 'dev';
    const deploymentRegion = typeof values.region === 'string' ? values.region : config.region;
    // The stack is deployed to the configuration's region in the caller's own account.
    const factory = new AwsClientFactory({ defaultRegion: deploymentRegion, accounts: config.accounts });
    const now = clock.now();
    const stateMachineArn = process.env.EKSOPS_UPGRADE_STATE_MACHINE_ARN ?? upgradeStateMachineArn({ accountId: process.env.AWS_ACCOUNT_ID ?? (await callerAccount(factory)), region: deploymentRegion }, stage);
    const input = { cluster, region: configured.region, ...(configured.accountId ? { accountId: configured.accountId } : {}), scheduledTime: now.toISOString(), ...(to ? { targetVersion: to } : {}), ...(windowMinutes ? { windowMinutes } : {}) };
    const started = await factory.client(SFNClient).send(new StartExecutionCommand({ stateMachineArn, name: executionName({ cluster, opensAt: now, region: configured.region, accountId: configured.accountId }), input: JSON.stringify(input) }));
    io.out(`started ${started.executionArn}`);
    return 0;
  },
});

async function callerAccount(factory: AwsClientFactory): Promise<string> {
  const identity = await factory.client(STSClient).send(new GetCallerIdentityCommand({}));
  if (!identity.Account) throw new Error('STS GetCallerIdentity returned no account');
  return identity.Account;
}

/** `eksops upgrade …` commands, on `clock` (the system clock but in tests). */
export function upgradeCommands(clock: Clock = systemClock): readonly Command[] {
  return [planCommand(clock), startCommand(clock)];
}

export const UPGRADE_COMMANDS: readonly Command[] = upgradeCommands();
