import { type UpgradePlan, windowReaches } from './plan.ts';
import { describeStage } from './stage.ts';

/** `eksops upgrade plan` output: the findings, then the ordered stages, as plain text lines. */
export function planLines(cluster: string, from: string, target: string, plan: UpgradePlan): string[] {
  const lines = [`${cluster}: ${from} → ${target}`];
  if (plan.findings.length > 0) {
    lines.push('', 'Pre-flight findings:');
    for (const finding of plan.findings) lines.push(`  ${finding.severity.padEnd(5)} ${finding.resource}: ${finding.message}`, `        evidence: ${finding.evidence}`, `        remedy:   ${finding.remedy}`);
  }
  lines.push('', plan.stages.length > 0 ? 'Stages:' : plan.pause ? 'Nothing to do in this window.' : 'Nothing to do.');
  plan.stages.forEach((stage, index) => {
    const later = plan.laterWindows.indexOf(index);
    if (later >= 0) lines.push(`  -- window ${later + 2}${later === 0 && plan.pause ? ` (${plan.pause.message})` : ''} --`);
    lines.push(`  ${String(index + 1).padStart(2)}. ${describeStage(stage)}`);
  });
  if (plan.stages.length > 0) {
    const reaches = windowReaches(from, plan);
    lines.push('', plan.thisWindow === 0 ? `This window: nothing (${plan.pause?.message ?? 'blocked'}).` : `This window: stages 1–${plan.thisWindow}, to ${reaches}${reaches === target ? ' (the target)' : ''}.`);
  } else if (plan.pause) {
    lines.push(`This window: ${plan.pause.message}.`);
  }
  if (plan.blockedAt) lines.push('', `Blocked at ${plan.blockedAt.from} → ${plan.blockedAt.to}: resolve the BLOCK findings first.`);
  return lines;
}
