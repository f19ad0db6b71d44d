import { logger } from '../middleware/observability.ts';
import { InvalidUpgradeInputError } from './errors.ts';
import { acquireLock } from './lock.ts';
import { observeCluster } from './observe.ts';
import { hopHistory } from './hop-history.ts';
import { planUpgrade, windowReaches } from './plan.ts';
import { startNotification } from './report.ts';
import type { RunState } from './run-state.ts';
import { UpgradeRequestSchema } from './run-state.ts';
import { clusterUpgradeConfig } from './settings.ts';
import { lockClient, type UpgradeDeps, upgradeClients } from './clients.ts';
import { lockOf } from './lock.ts';
import { normalizedCluster } from './cluster-ref.ts';
import { compareMinor } from './versions.ts';
import { secondsLeft, windowOf } from './window.ts';

/** A window without a configured duration (a manual start of an unconfigured window) lasts this long. */
const DEFAULT_WINDOW_MINUTES = 240;
/** The lock outlives the window by the longest stage that may still be running when it closes. */
const LOCK_GRACE_MS = 6 * 3600_000;

/**
 * The first task: validate the request, take the cluster's lock, observe, plan, and tell Slack the plan.
 * Later tasks recompute from the live cluster; the plan here is what people are told to expect.
 */
export async function beginUpgrade(event: { request: unknown; executionName: string }, deps: UpgradeDeps): Promise<RunState> {
  const parsed = UpgradeRequestSchema.safeParse(event.request);
  if (!parsed.success) {
    throw new InvalidUpgradeInputError(`invalid upgrade request: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`).join('; ')}`);
  }
  const request = parsed.data;
  if (!deps.config.upgrade.enabled) throw new InvalidUpgradeInputError('upgrades are disabled in the configuration (upgrade.enabled)');
  const configured = clusterUpgradeConfig(deps.config, request.cluster, request.region);
  if (!configured) throw new InvalidUpgradeInputError(`cluster ${request.cluster} is not in the configuration`);
  const accountId = request.accountId ?? configured.accountId;
  // One cluster, one lock: the own account named by its ID, as 'self' or not at all is the same account.
  const cluster = normalizedCluster({ name: configured.name, region: configured.region, ...(accountId ? { accountId } : {}) }, deps.clients.ownAccountId);
  const now = deps.clock.now();
  const opensAt = request.scheduledTime ? new Date(request.scheduledTime) : now;
  const window = windowOf(opensAt, request.windowMinutes ?? configured.maintenanceWindow?.durationMinutes ?? DEFAULT_WINDOW_MINUTES);

  const acquired = await acquireLock(lockClient(deps), lockOf(deps, cluster, event.executionName), { now, expiresAt: new Date(Date.parse(window.closesAt) + LOCK_GRACE_MS), window: window.opensAt });
  if (acquired.replacedInvalid) logger.warn('replaced a lock without a usable expiry', { cluster: cluster.name, reason: acquired.replacedInvalid });

  const requested = request.targetVersion ?? configured.settings.targetVersion;
  const clients = upgradeClients(deps, cluster);
  const snapshot = await observeCluster(clients, cluster.name, { now, requested, ...(configured.settings.kubernetesChecks ? { kubernetes: { clock: deps.clock } } : {}) });
  const target = snapshot.target;
  const plan = planUpgrade(snapshot, configured.settings, target, now, hopHistory(snapshot, []));
  logger.info('upgrade planned', { cluster: cluster.name, from: snapshot.version, target, stages: plan.stages.length, thisWindow: plan.thisWindow, blockedAt: plan.blockedAt, pause: plan.pause?.reason });
  const upgrading = plan.thisWindow > 0 && compareMinor(target, snapshot.version) >= 0;
  // Asked only when there is something to approve; never longer than the window stays open.
  const askApproval = upgrading && configured.settings.approval && !deps.config.dryRun;
  if (upgrading) await deps.notifier.send(startNotification(cluster.name, snapshot.version, target, plan, window.closesAt, askApproval));
  const timeoutSeconds = Math.max(1, Math.min(configured.settings.approvalTimeoutMinutes * 60, secondsLeft(window, now)));
  return {
    cluster,
    runId: event.executionName,
    target,
    window,
    startedAt: now.toISOString(),
    timeline: [],
    step: { action: deps.config.dryRun ? 'complete' : 'begun' },
    approval: {
      required: askApproval,
      timeoutMinutes: configured.settings.approvalTimeoutMinutes,
      ...(askApproval ? { timeoutSeconds, plan: { from: snapshot.version, stages: plan.thisWindow, reaches: windowReaches(snapshot.version, plan) } } : {}),
    },
    fargateProfiles: snapshot.fargateProfiles,
  };
}

