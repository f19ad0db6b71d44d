import { loadConfigFile } from '../shared/config/load.ts';
import { parseConfig } from '../shared/config/parse.ts';
import type { Config } from '../shared/config/schema.ts';
import { upgradeScheduleResources } from '../shared/upgrade/schedules.ts';
import { FUNCTION_CONFIG_SECTIONS, projectConfig } from './config-projection.ts';
import { buildRoles } from './iam.ts';

/**
 * Each function's configuration as its bundle holds it: its projection, parsed here (defaults filled, every rule of
 * the schema checked at `sls package`), so that a cold start reads plain data and loads no schema (shared/config/runtime.ts).
 */
export function functionConfigs(config: Config): Record<string, string> {
  return Object.fromEntries(Object.keys(FUNCTION_CONFIG_SECTIONS).map((name) => [name, JSON.stringify(parseConfig(projectConfig(config, name), `the configuration of ${name}`))]));
}

/** What serverless.yml takes from the configuration, validated with the schema the functions use. */
export async function loadDeployment(file: string) {
  const config = await loadConfigFile(file);
  return {
    configFile: file,
    /**
     * Each function's own configuration (deploy/config-projection.ts), defined as `__EKSOPS_CONFIG__` in its
     * bundle by deploy/esbuild-plugins.cjs. An esbuild `define` value is a JS expression, and JSON is one.
     */
    functionConfigs: functionConfigs(config),
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
