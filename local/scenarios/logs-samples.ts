import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../template/compiled-template.ts';

/** Control-plane lines of each stream, from the project's sample logs (test/fixtures/logs/eks-logs). */
export function sampleLines(file: 'authenticator.log' | 'kube-apiserver-audit.log' | 'kube-apiserver.log' | 'kube-controller-manager.log' | 'kube-scheduler.log'): string[] {
  return readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'logs', 'eks-logs', file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** An audit event of a node reading its own object: what the documented drop rule removes. */
export const NODE_GET = JSON.stringify({
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'Metadata',
  auditID: 'c0ffee00-0000-4000-8000-000000000001',
  stage: 'ResponseComplete',
  requestURI: '/api/v1/nodes/ip-10-0-1-23.eu-west-1.compute.internal',
  verb: 'get',
  user: { username: 'system:node:ip-10-0-1-23.eu-west-1.compute.internal', groups: ['system:nodes', 'system:authenticated'] },
  objectRef: { resource: 'nodes', name: 'ip-10-0-1-23.eu-west-1.compute.internal', apiVersion: 'v1' },
  responseStatus: { metadata: {}, code: 200 },
  requestReceivedTimestamp: '2026-03-02T09:00:00.000000Z',
  stageTimestamp: '2026-03-02T09:00:00.002000Z',
});
