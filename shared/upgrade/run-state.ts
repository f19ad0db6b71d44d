import * as z from 'zod';
import { AccountId, ClusterName, KubernetesMinor, Region } from '../config/primitives.ts';
import type { Stage } from './stage.ts';

/**
 * What starts an upgrade: the EventBridge Scheduler schedule of a maintenance window (its input carries
 * `<aws.scheduler.scheduled-time>`), or `eksops upgrade start`.
 *
 * Sample (the schedule's input, as Scheduler delivers it):
 * { "cluster": "prod-eu", "scheduledTime": "2026-03-08T01:00:00Z", "windowMinutes": 240 }
 */
export const UpgradeRequestSchema = z.strictObject({
  cluster: ClusterName,
  region: Region.optional(),
  /** The cluster's account; omitted, 'self' or the deployment's own ID all mean the deployment's account. */
  accountId: z.union([AccountId, z.literal('self')]).optional(),
  targetVersion: KubernetesMinor.optional(),
  /** When the window opened; default: now. */
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
  /** How long the window lasts; default: the cluster's maintenanceWindow.durationMinutes. */
  windowMinutes: z.number().int().min(15).max(24 * 60).optional(),
});
export type UpgradeRequest = z.infer<typeof UpgradeRequestSchema>;

const StageSchema = z.custom<Stage>((value) => typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string', 'must be an upgrade stage');

/** What a stage changed, as data (the label is for people): its kind, and the versions of a control-plane hop. */
export const StageChangeSchema = z.strictObject({
  kind: z.enum(['control-plane', 'addons', 'nodegroups', 'self-managed', 'kube-proxy']),
  from: KubernetesMinor.optional(),
  to: KubernetesMinor.optional(),
});
export type StageChange = z.infer<typeof StageChangeSchema>;

export const TimelineEntrySchema = z.strictObject({
  stage: z.string(),
  /** Absent in entries written before it existed, and for adopted updates. */
  change: StageChangeSchema.optional(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  outcome: z.enum(['done', 'failed', 'deferred', 'running']),
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

export const RunningStageSchema = z.strictObject({
  /** Absent when the run adopted updates it did not start (an earlier run's, or someone else's). */
  stage: StageSchema.optional(),
  label: z.string(),
  /** EKS updates (of the cluster, a node group or an add-on), and instance refreshes of self-managed groups. */
  updates: z.array(
    z.strictObject({
      id: z.string(),
      nodegroup: z.string().optional(),
      addon: z.string().optional(),
      autoScalingGroup: z.string().optional(),
      /** An on-demand insights refresh of the cluster (StartInsightsRefresh), polled with DescribeInsightsRefresh. */
      insightsRefresh: z.literal(true).optional(),
    }),
  ),
  startedAt: z.string(),
  polls: z.number().int().min(0),
  typicalSeconds: z.number().int().min(0),
  worstSeconds: z.number().int().min(0),
});
export type RunningStage = z.infer<typeof RunningStageSchema>;

/** Why the next hop waits for a later window. */
export const PauseSchema = z.strictObject({
  reason: z.enum(['hops-per-window', 'bake', 'insights-stale']),
  hop: z.strictObject({ from: KubernetesMinor, to: KubernetesMinor }),
  message: z.string().max(2000),
  /** The earliest the hop may start (bake period). */
  notBefore: z.string().optional(),
});
export type Pause = z.infer<typeof PauseSchema>;

/** What upgradeApproval sends with SendTaskSuccess; the state machine puts it at `$.run.approval.answer`. */
export const ApprovalAnswerSchema = z.strictObject({
  decision: z.literal('approved'),
  /** The Slack user ID of the approver. */
  by: z.string().min(1),
  at: z.string(),
});
export type ApprovalAnswer = z.infer<typeof ApprovalAnswerSchema>;

export const ApprovalStateSchema = z.strictObject({
  /** The state machine asks (AskApproval) before the first stage when this is true. */
  required: z.boolean(),
  timeoutMinutes: z.number().int(),
  /** AskApproval's TimeoutSecondsPath: the configured timeout, or what is left of the window if less. */
  timeoutSeconds: z.number().int().min(1).optional(),
  /** What the approver is asked about. */
  plan: z.strictObject({ from: KubernetesMinor, stages: z.number().int().min(0), reaches: KubernetesMinor.optional() }).optional(),
  answer: ApprovalAnswerSchema.optional(),
});

/** The run's state, carried by the state machine from task to task (at `$.run`). Small: a few KB at most. */
export const RunStateSchema = z.strictObject({
  cluster: z.strictObject({ name: ClusterName, region: Region, accountId: AccountId.optional() }),
  runId: z.string().min(1).max(80),
  target: KubernetesMinor,
  window: z.strictObject({ opensAt: z.string(), closesAt: z.string() }),
  startedAt: z.string(),
  timeline: z.array(TimelineEntrySchema),
  current: RunningStageSchema.optional(),
  step: z.strictObject({
    /**
     * begun: Begin's; started / running: a stage was started / is still running; done: it ended well;
     * hop-done: the next stage opens the next hop, which the parent runs in a new child execution;
     * deferred: the window cannot hold the next stage; paused: the next hop waits for a later window (hops
     * per window, bake period, insights not yet refreshed: `pause` says which); complete: the cluster is at the target.
     */
    action: z.enum(['begun', 'started', 'running', 'done', 'hop-done', 'deferred', 'paused', 'complete']),
    waitSeconds: z.number().int().min(0).optional(),
    pause: PauseSchema.optional(),
    /** hop-done: the next hop's control-plane stage, as decided when the hop ended; the next child starts it without observing again. */
    next: z.strictObject({ stage: StageSchema, decidedAt: z.string() }).optional(),
  }),
  approval: ApprovalStateSchema,
  /** The hop (its target version) for which the run asked EKS to re-evaluate the insights: asked once per hop. */
  insightsRefreshedFor: KubernetesMinor.optional(),
  /** Fargate profiles of the cluster: their pods must be restarted to move to the new version (reported). */
  fargateProfiles: z.array(z.string()).optional(),
});
export type RunState = z.infer<typeof RunStateSchema>;

/** The state machine's error, as a Catch with `ResultPath: $.error` records it. */
export const CaughtErrorSchema = z.looseObject({ Error: z.string(), Cause: z.string().optional() });

/** What the last task gets: the whole execution state. */
export const FinishEventSchema = z.strictObject({
  executionName: z.string(),
  state: z.looseObject({
    run: RunStateSchema.optional(),
    /** null when the hop's child execution ended without an error. */
    error: CaughtErrorSchema.nullable().optional(),
  }),
});
export type FinishEvent = z.infer<typeof FinishEventSchema>;

export const BeginEventSchema = z.strictObject({
  executionName: z.string().min(1).max(80),
  request: z.unknown(),
});
