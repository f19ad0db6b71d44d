import { describe, expect, it } from '@jest/globals';
import type { ResourceChange } from '../../../shared/tags/model.ts';
import type { ReconcileResult } from '../../../shared/tags/reconcile.ts';
import { tagsNotification } from '../../../shared/tags/report.ts';

const change = (id: string): ResourceChange => ({ kind: 'instance', id, set: { team: 'web' }, remove: ['old'] });

function result(changes: ResourceChange[], extra: Partial<ReconcileResult['clusters'][number]> = {}): ReconcileResult {
  return { dryRun: false, clusters: [{ cluster: 'prod', plan: { cluster: 'prod', region: 'eu-west-1', accountId: '1', changes, findings: [], lints: [], pendingNodegroups: [] }, ...extra }] };
}

describe('the Slack summary of a run', () => {
  it('says nothing when nothing changed, nothing failed and nothing was found', () => {
    expect(tagsNotification(result([]), 10)).toBeUndefined();
  });

  it('is one message: counts per cluster and the first N resources, the rest counted', () => {
    const notification = tagsNotification(result(Array.from({ length: 250 }, (_, index) => change(`i-${index}`))), 3);
    expect(notification?.capability).toBe('tags');
    expect(notification?.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'eksops node tags' } },
      { type: 'section', text: { type: 'mrkdwn', text: '*Clusters*\n• `prod`: 250 resource(s) changed (+250 / −250 tags)' } },
      { type: 'section', text: { type: 'mrkdwn', text: '*Resources changed*\n• `i-0` (instance): `+team` `−old`\n• `i-1` (instance): `+team` `−old`\n• `i-2` (instance): `+team` `−old`\n… 247 more' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Only keys eksops manages are ever removed.' }] },
    ]);
  });

  it('names a failed cluster and escapes what AWS said', () => {
    const notification = tagsNotification(result([], { error: { name: 'AccessDeniedException', message: 'not allowed <!channel>' } }), 10);
    const text = JSON.stringify(notification?.blocks);
    expect(text).toContain('*failed*');
    expect(text).toContain('not allowed &lt;!channel&gt;');
  });
});
