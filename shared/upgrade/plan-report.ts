import type { Finding } from './checks/index.ts';
import { describeStage, type Stage } from './stage.ts';

/** `eksops upgrade plan` output: the findings, then the ordered stages, as plain text lines. */
export function planLines(cluster: string, from: string, target: string, plan: { stages: Stage[]; findings: Finding[]; blockedAt?: { from: string; to: string } }): string[] {
  const lines = [`${cluster}: ${from} → ${target}`];
  if (plan.findings.length > 0) {
    lines.push('', 'Pre-flight findings:');
    for (const finding of plan.findings) lines.push(`  ${finding.severity.padEnd(5)} ${finding.resource}: ${finding.message}`, `        evidence: ${finding.evidence}`, `        remedy:   ${finding.remedy}`);
  }
  lines.push('', plan.stages.length > 0 ? 'Stages:' : 'Nothing to do.');
  plan.stages.forEach((stage, index) => lines.push(`  ${String(index + 1).padStart(2)}. ${describeStage(stage)}`));
  if (plan.blockedAt) lines.push('', `Blocked at ${plan.blockedAt.from} → ${plan.blockedAt.to}: resolve the BLOCK findings first.`);
  return lines;
}
