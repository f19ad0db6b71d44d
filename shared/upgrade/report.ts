import { context, fields, header, list, section, userMention } from '../notify/blocks.ts';
import { escapeMrkdwn, inlineCode } from '../notify/escape.ts';
import type { Notification } from '../notify/notifier.ts';
import type { Finding } from './checks/index.ts';
import { type UpgradePlan, windowReaches } from './plan.ts';
import type { Pause, TimelineEntry } from './run-state.ts';
import { describeStage, type Stage } from './stage.ts';

/** The upgrade's Slack messages: start (the plan), each stage done, deferral, failure, completion. */

function findingLine(finding: Finding, withEvidence = false): string {
  const evidence = withEvidence && finding.evidence ? ` (${escapeMrkdwn(finding.evidence)})` : '';
  return `*${finding.severity}* ${inlineCode(finding.resource)} ${escapeMrkdwn(finding.message)}${evidence} — _${escapeMrkdwn(finding.remedy)}_`;
}

export function minutes(fromIso: string, toIso: string): string {
  const total = Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60_000);
  return total >= 60 ? `${Math.floor(total / 60)} h ${total % 60} min` : `${total} min`;
}

export function startNotification(cluster: string, from: string, target: string, plan: UpgradePlan, closesAt: string, awaitingApproval = false): Notification {
  const opening = awaitingApproval ? `eksops plans to upgrade ${inlineCode(cluster)} once approved (next message)` : `eksops starts upgrading ${inlineCode(cluster)}`;
  const reaches = windowReaches(from, plan);
  const later = plan.stages.slice(plan.thisWindow);
  return {
    capability: 'upgrade',
    blocks: [
      header(from === target ? `Upgrade of ${cluster}: resuming at ${from}` : `Upgrade of ${cluster}: ${from} → ${target}`),
      section(`${opening}; the window closes at ${closesAt.slice(11, 16)} UTC.${reaches !== target ? ` This window goes to ${reaches}; later windows do the rest.` : ''}`),
      list(plan.stages.slice(0, plan.thisWindow).map((stage, index) => `${index + 1}. ${escapeMrkdwn(describeStage(stage))}`), { title: '*This window*', maxItems: 40 }),
      ...(later.length > 0 ? [list(later.map((stage, index) => `${plan.thisWindow + index + 1}. ${escapeMrkdwn(describeStage(stage))}`), { title: `*Later windows*${plan.pause ? ` (${escapeMrkdwn(plan.pause.message)})` : ''}`, maxItems: 20 })] : []),
      ...(plan.findings.length > 0 ? [list(plan.findings.map((finding) => findingLine(finding)), { title: '*Pre-flight findings*', maxItems: 20 })] : []),
    ],
  };
}

/**
 * The window ends before the target: what it did, and why the next hop waits (hops per window, bake period,
 * insights not yet re-evaluated). A window that did nothing says only why.
 */
export function pausedNotification(cluster: string, target: string, pause: Pause, timeline: readonly TimelineEntry[], startedAt: string, endedAt: string): Notification {
  const done = timeline.filter((entry) => entry.outcome === 'done');
  return {
    capability: 'upgrade',
    blocks: [
      header(`Upgrade of ${cluster}: ${pause.hop.from} for now (target ${target})`),
      section(`${done.length > 0 ? `This window took ${minutes(startedAt, endedAt)}. ` : ''}Next: ${escapeMrkdwn(pause.hop.from)} → ${escapeMrkdwn(pause.hop.to)} waits: ${escapeMrkdwn(pause.message)}.`),
      ...(done.length > 0 ? [list(done.map((entry) => `${escapeMrkdwn(entry.stage)} — ${entry.endedAt ? minutes(entry.startedAt, entry.endedAt) : 'running'}`), { title: '*This window*', maxItems: 40 })] : []),
    ],
  };
}

export function stageDoneNotification(cluster: string, stage: Stage, startedAt: string, endedAt: string): Notification {
  return {
    capability: 'upgrade',
    blocks: [section(`:white_check_mark: ${inlineCode(cluster)} ${escapeMrkdwn(describeStage(stage))} — done in ${minutes(startedAt, endedAt)}`)],
  };
}

export function deferralNotification(cluster: string, stage: Stage, worstSeconds: number, secondsLeft: number): Notification {
  return {
    capability: 'upgrade',
    blocks: [
      header(`Upgrade of ${cluster} deferred`),
      section(`The next stage, ${escapeMrkdwn(describeStage(stage))}, may take up to ${Math.ceil(worstSeconds / 60)} min and the window has ${Math.max(0, Math.floor(secondsLeft / 60))} min left. EKS updates cannot be paused once started, so it waits for the next window, which resumes from what the cluster reports.`),
    ],
  };
}

export function failureNotification(cluster: string, what: string, errors: readonly { code: string; message: string; remedy: string }[], extra: readonly string[] = []): Notification {
  return {
    capability: 'upgrade',
    blocks: [
      header(`Upgrade of ${cluster} stopped`),
      section(`:x: ${escapeMrkdwn(what)}`),
      ...(errors.length > 0 ? [list(errors.map((error) => `${inlineCode(error.code)} ${escapeMrkdwn(error.message)} — _${escapeMrkdwn(error.remedy)}_`), { title: '*Errors*', maxItems: 20 })] : []),
      ...extra.map((line) => context([line])),
    ],
  };
}

export function blockedNotification(cluster: string, hop: { from: string; to: string }, findings: readonly Finding[]): Notification {
  return {
    capability: 'upgrade',
    // What blocks is shown with its evidence: it is what people must act on.
    blocks: [header(`Upgrade of ${cluster} blocked: ${hop.from} → ${hop.to}`), list(findings.map((finding) => findingLine(finding, finding.severity === 'BLOCK')), { title: '*Pre-flight findings*', maxItems: 30 })],
  };
}

export function refusedNotification(cluster: string, reason: string): Notification {
  return { capability: 'upgrade', blocks: [section(`:no_entry: Upgrade of ${inlineCode(cluster)} not started: ${escapeMrkdwn(reason)}`)] };
}

export function abortedNotification(cluster: string, reason: string): Notification {
  return {
    capability: 'upgrade',
    blocks: [section(`:no_entry: Upgrade of ${inlineCode(cluster)} aborted before any change: ${escapeMrkdwn(reason)} The next window asks again; \`eksops upgrade start\` starts one now.`)],
  };
}

export function completionNotification(cluster: string, version: string, timeline: readonly TimelineEntry[], startedAt: string, endedAt: string, fargateProfiles: readonly string[] = [], approvedBy?: string): Notification {
  return {
    capability: 'upgrade',
    blocks: [
      header(`Upgrade of ${cluster} complete: ${version}`),
      fields([`*Version*\n${version}`, `*Took*\n${minutes(startedAt, endedAt)}`, ...(approvedBy ? [`*Approved by*\n${userMention(approvedBy)}`] : [])]),
      list(timeline.map((entry) => `${escapeMrkdwn(entry.stage)} — ${entry.endedAt ? minutes(entry.startedAt, entry.endedAt) : 'running'}`), { title: '*Timeline*', maxItems: 40 }),
      // Fargate pods keep the kubelet they started with: only a restart moves them to the new version.
      ...(fargateProfiles.length > 0 ? [list(fargateProfiles.map((profile) => inlineCode(profile)), { title: `*Fargate: restart the pods of these profiles to run kubelet ${version}*`, maxItems: 20 })] : []),
    ],
  };
}
