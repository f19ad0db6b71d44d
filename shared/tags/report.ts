import { type Block, context, header, list, section } from '../notify/blocks.ts';
import { escapeMrkdwn, inlineCode } from '../notify/escape.ts';
import type { Notification } from '../notify/notifier.ts';
import type { ClusterRun, ReconcileResult } from './reconcile.ts';

export interface ClusterCounts {
  cluster: string;
  resourcesChanged: number;
  tagsSet: number;
  tagsRemoved: number;
  findings: number;
  lints: number;
  gone: number;
  failed: boolean;
}

export function countsOf(run: ClusterRun): ClusterCounts {
  const changes = run.plan?.changes ?? [];
  return {
    cluster: run.cluster,
    resourcesChanged: changes.length,
    tagsSet: changes.reduce((sum, change) => sum + Object.keys(change.set).length, 0),
    tagsRemoved: changes.reduce((sum, change) => sum + change.remove.length, 0),
    findings: run.plan?.findings.length ?? 0,
    lints: run.plan?.lints.length ?? 0,
    gone: run.act?.gone.length ?? 0,
    failed: run.error !== undefined || (run.act?.failures.length ?? 0) > 0,
  };
}

/**
 * One Slack message per run that changed something, failed, or found a lint: counts per cluster and the
 * first `maxResources` resources, never one message per instance. Undefined when there is nothing to say.
 */
export function tagsNotification(result: ReconcileResult, maxResources: number): Notification | undefined {
  const counts = result.clusters.map(countsOf);
  const worth = counts.some((count) => count.resourcesChanged > 0 || count.lints > 0 || count.failed);
  if (!worth) return undefined;
  const verb = result.dryRun ? 'would change' : 'changed';
  const blocks: Block[] = [
    header(result.dryRun ? 'eksops node tags (dry run)' : 'eksops node tags'),
    list(
      counts.map((count) => {
        const parts = [`${count.resourcesChanged} resource(s) ${verb} (+${count.tagsSet} / −${count.tagsRemoved} tags)`];
        if (count.lints > 0) parts.push(`${count.lints} lint(s)`);
        if (count.findings > 0) parts.push(`${count.findings} finding(s)`);
        if (count.gone > 0) parts.push(`${count.gone} gone before tagging`);
        if (count.failed) parts.push('*failed*');
        return `${inlineCode(count.cluster)}: ${parts.join(', ')}`;
      }),
      { title: '*Clusters*' },
    ),
  ];
  const changes = result.clusters.flatMap((run) => (run.plan?.changes ?? []).map((change) => `${inlineCode(change.id)} (${change.kind}): ${[...Object.keys(change.set).map((key) => `+${key}`), ...change.remove.map((key) => `−${key}`)].map(inlineCode).join(' ')}`));
  if (changes.length > 0) blocks.push(list(changes, { title: `*Resources ${verb}*`, maxItems: maxResources }));
  const lints = result.clusters.flatMap((run) => (run.plan?.lints ?? []).map((lint) => `${inlineCode(run.cluster)} ${lint.rule} ${inlineCode(lint.subject)}: ${escapeMrkdwn(lint.evidence.join('; '))}`));
  if (lints.length > 0) blocks.push(list(lints, { title: '*Lints*', maxItems: maxResources }));
  const errors = result.clusters.flatMap((run) => (run.error ? [`${inlineCode(run.cluster)}: ${escapeMrkdwn(`${run.error.name}: ${run.error.message}`)}`] : []));
  if (errors.length > 0) blocks.push(section(`*Failed*\n${errors.join('\n')}`));
  blocks.push(context([result.dryRun ? 'Dry run: nothing was written.' : 'Only keys eksops manages are ever removed.']));
  return { capability: 'tags', blocks };
}
