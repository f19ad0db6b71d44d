import { describe, expect, it } from '@jest/globals';
import { ConfigSchema } from '../../../shared/config/schema.ts';
import { SCHEDULED_TIME, upgradeScheduleResources } from '../../../shared/upgrade/schedules.ts';
import { UpgradeRequestSchema } from '../../../shared/upgrade/run-state.ts';

const config = (enabled: boolean) =>
  ConfigSchema.parse({
    region: 'eu-west-1',
    upgrade: { enabled },
    accounts: [{ id: '222233334444', roleArn: 'arn:aws:iam::222233334444:role/eksops' }],
    clusters: [
      { name: 'prod-eu', maintenanceWindow: { schedule: 'cron(0 2 ? * SUN *)', timezone: 'Europe/Paris', durationMinutes: 240 } },
      { name: 'staging', account: '222233334444', region: 'eu-central-1', maintenanceWindow: { schedule: 'cron(0 9 ? * TUE-THU *)', timezone: 'Europe/Berlin', durationMinutes: 180 } },
    ],
  });

describe('the maintenance-window schedules', () => {
  it('start cluster-upgrade at each window with the scheduled time and the window length', () => {
    const resources = upgradeScheduleResources(config(true)) as Record<string, { Type: string; Properties: Record<string, unknown> }>;
    expect(Object.keys(resources).sort()).toEqual(['UpgradeSchedulerRole', 'UpgradeWindowProdEu', 'UpgradeWindowStagingEuCentral1222233334444']);
    const staging = resources.UpgradeWindowStagingEuCentral1222233334444?.Properties as { ScheduleExpression: string; ScheduleExpressionTimezone: string; Target: { Input: string; Arn: unknown } };
    expect(staging.ScheduleExpression).toBe('cron(0 9 ? * TUE-THU *)');
    expect(staging.ScheduleExpressionTimezone).toBe('Europe/Berlin');
    expect(staging.Target.Arn).toEqual({ Ref: 'ClusterUpgradeStateMachine' });
    const input = JSON.parse(staging.Target.Input) as Record<string, unknown>;
    expect(input).toEqual({ cluster: 'staging', region: 'eu-central-1', accountId: '222233334444', scheduledTime: SCHEDULED_TIME, windowMinutes: 180 });
    // What Scheduler delivers (the placeholder replaced) is a valid upgrade request.
    expect(UpgradeRequestSchema.safeParse({ ...input, scheduledTime: '2026-03-10T08:00:00Z' }).success).toBe(true);
  });

  it('lets the Scheduler role start only the upgrade state machine', () => {
    const role = upgradeScheduleResources(config(true)).UpgradeSchedulerRole as { Properties: { Policies: { PolicyDocument: { Statement: unknown[] } }[] } };
    expect(role.Properties.Policies[0]?.PolicyDocument.Statement).toEqual([{ Effect: 'Allow', Action: ['states:StartExecution'], Resource: { Ref: 'ClusterUpgradeStateMachine' } }]);
  });

  it('creates nothing while upgrades are disabled', () => {
    expect(upgradeScheduleResources(config(false))).toEqual({});
  });
});
