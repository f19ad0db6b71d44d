import type { Config } from '../../shared/config/schema.ts';
import type { Clock } from '../../shared/time/clock.ts';
import type { UpgradeClients } from '../../shared/upgrade/clients.ts';
import { upgradeClientsFor } from '../../shared/upgrade/clients.ts';
import { startSandbox } from '../sandbox.ts';
import { clusterVersions, runUpgrade, seedUpgradeFleet, type UpgradeRunInput, withUpgrades } from '../scenarios/upgrade-fleet.ts';

export interface UpgradeSandbox {
  clients: UpgradeClients;
  config: Config;
  clock: Clock;
  close(): Promise<void>;
}

/** `eksops upgrade plan --sandbox`: the sandbox's demo fleet seeded as `cluster`, for the CLI's own planner. */
export async function openUpgradeSandbox(cluster: string): Promise<UpgradeSandbox> {
  const sandbox = await startSandbox({ configure: withUpgrades() });
  seedUpgradeFleet(sandbox, cluster);
  return { clients: upgradeClientsFor(sandbox.aws.clients, sandbox.aws.here), config: sandbox.config, clock: sandbox.aws.clock, close: () => sandbox.close() };
}

/** `eksops upgrade start --sandbox`: runs cluster-upgrade on the demo fleet and prints how it ended. */
export async function startUpgradeInSandbox(input: UpgradeRunInput, write: (line: string) => void): Promise<number> {
  const sandbox = await startSandbox({ configure: withUpgrades() });
  try {
    seedUpgradeFleet(sandbox, input.cluster);
    const execution = await runUpgrade(sandbox, input);
    write(`${execution.name}: ${execution.status} after ${Math.round((execution.stopDate.getTime() - execution.startDate.getTime()) / 60_000)} virtual minutes, ${execution.stateTransitions} state transitions`);
    write(JSON.stringify(clusterVersions(sandbox, input.cluster)));
    return execution.status === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await sandbox.close();
  }
}
