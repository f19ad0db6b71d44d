import { loadConfigFile } from '../shared/config/load.ts';
import { upgradeScheduleResources } from '../shared/upgrade/schedules.ts';
import { FUNCTION_CONFIG_SECTIONS, projectConfig } from './config-projection.ts';
import { buildRoles } from './iam.ts';

/** What serverless.yml takes from the configuration, validated with the schema the functions use. */
export async function loadDeployment(file: string) {
  const config = await loadConfigFile(file);
  return {
    configFile: file,
    /** An esbuild `define` value is a JS expression, and JSON is one. */
    bundledConfig: JSON.stringify(config),
    /**
     * Each function's own projection (deploy/config-projection.ts), for a per-function `define`. Not wired
     * yet: serverless-esbuild applies one `define` to every function, and a per-function one needs an esbuild
     * plugin (setup reads the entry point), which bench/coldstart refuses today (UNSUPPORTED_OPTIONS).
     */
    functionConfigs: Object.fromEntries(Object.keys(FUNCTION_CONFIG_SECTIONS).map((name) => [name, JSON.stringify(projectConfig(config, name))])),
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
