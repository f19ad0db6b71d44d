import { loadConfigFile } from '../shared/config/load.ts';
import { upgradeScheduleResources } from '../shared/upgrade/schedules.ts';
import { buildRoles } from './iam.ts';

/** What serverless.yml takes from the configuration, validated with the schema the functions use. */
export async function loadDeployment(file: string) {
  const config = await loadConfigFile(file);
  return {
    configFile: file,
    /** An esbuild `define` value is a JS expression, and JSON is one. */
    bundledConfig: JSON.stringify(config),
    roles: buildRoles(config),
    /** serverless/tags.functions.yml: the schedule of the full node-tag reconcile. */
    tagsSchedule: config.tags.schedule,
    /** serverless/logs.functions.yml: the scheduled replay of the failure store, off unless configured. */
    logsReplaySchedule: config.logs.replaySchedule ?? 'rate(1 day)',
    logsReplayEnabled: config.logs.replaySchedule !== undefined,
    /** One EventBridge Scheduler schedule per cluster maintenance window, and the role they start cluster-upgrade with. */
    upgradeSchedules: upgradeScheduleResources(config),
  };
}
