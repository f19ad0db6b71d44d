import { existsSync } from 'node:fs';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startSandbox } from '../../local/sandbox.ts';
import { clusterVersions, runUpgrade, seedUpgradeFleet, withUpgrades } from '../../local/scenarios/upgrade-fleet.ts';
import { executionName } from '../../shared/upgrade/execution-name.ts';
import { AwsClientFactory } from '../../shared/aws/client-factory.ts';
import { loadConfigFile } from '../../shared/config/load.ts';
import type { Config } from '../../shared/config/schema.ts';
import { type Clock, systemClock } from '../../shared/time/clock.ts';
import { observeCluster } from '../../shared/upgrade/observe.ts';
import { hopHistory } from '../../shared/upgrade/hop-history.ts';
import { planUpgrade } from '../../shared/upgrade/plan.ts';
import { planLines } from '../../shared/upgrade/plan-report.ts';
import { clusterUpgradeConfig } from '../../shared/upgrade/settings.ts';
import type { UpgradeClients } from '../../shared/upgrade/eks-port.ts';
import { upgradeClientsFor } from '../../shared/upgrade/upgrade-deps.ts';
import type { CliIo, Command } from '../command.ts';

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

const plan: Command = {
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
      const sandbox = await startSandbox({ configure: withUpgrades() });
      try {
        seedUpgradeFleet(sandbox, cluster);
        return await printPlan(upgradeClientsFor(sandbox.aws.clients, sandbox.aws.here), sandbox.config, cluster, to, sandbox.aws.clock, io);
      } finally {
        await sandbox.close();
      }
    }
    const config = await loadConfigFile(configFile(values.config));
    const region = typeof values.region === 'string' ? values.region : (clusterUpgradeConfig(config, cluster)?.region ?? config.region);
    const factory = new AwsClientFactory({ defaultRegion: region, accounts: config.accounts });
    const configured = clusterUpgradeConfig(config, cluster, region);
    const target = { region, ...(configured?.accountId ? { accountId: configured.accountId } : {}) };
    return printPlan(upgradeClientsFor(factory, target), config, cluster, to, systemClock, io);
  },
};

const start: Command = {
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
      const sandbox = await startSandbox({ configure: withUpgrades() });
      try {
        seedUpgradeFleet(sandbox, cluster);
        const execution = await runUpgrade(sandbox, { cluster, ...(to ? { targetVersion: to } : {}), ...(windowMinutes ? { windowMinutes } : {}) });
        io.out(`${execution.name}: ${execution.status} after ${Math.round((execution.stopDate.getTime() - execution.startDate.getTime()) / 60_000)} virtual minutes, ${execution.stateTransitions} state transitions`);
        io.out(JSON.stringify(clusterVersions(sandbox, cluster)));
        return execution.status === 'SUCCEEDED' ? 0 : 1;
      } finally {
        await sandbox.close();
      }
    }
    const config = await loadConfigFile(configFile(values.config));
    const configured = clusterUpgradeConfig(config, cluster);
    if (!configured) {
      io.err(`cluster ${cluster} is not in the configuration`);
      return 2;
    }
    const stage = typeof values.stage === 'string' ? values.stage : 'dev';
    const deploymentRegion = typeof values.region === 'string' ? values.region : config.region;
    const sfn = new SFNClient({ region: deploymentRegion });
    const now = new Date();
    const account = process.env.AWS_ACCOUNT_ID;
    const stateMachineArn = process.env.EKSOPS_UPGRADE_STATE_MACHINE_ARN ?? (account ? `arn:aws:states:${deploymentRegion}:${account}:stateMachine:eksops-${stage}-cluster-upgrade` : undefined);
    if (!stateMachineArn) {
      io.err('set EKSOPS_UPGRADE_STATE_MACHINE_ARN (or AWS_ACCOUNT_ID) to name the deployed state machine');
      return 2;
    }
    const input = { cluster, region: configured.region, ...(configured.accountId ? { accountId: configured.accountId } : {}), scheduledTime: now.toISOString(), ...(to ? { targetVersion: to } : {}), ...(windowMinutes ? { windowMinutes } : {}) };
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: executionName({ cluster, opensAt: now, region: configured.region, accountId: configured.accountId }), input: JSON.stringify(input) }));
    io.out(`started ${started.executionArn}`);
    return 0;
  },
};

/** `eksops upgrade …` commands. */
export const UPGRADE_COMMANDS: readonly Command[] = [plan, start];
