import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** One subscription payload as CloudWatch Logs sends it (one log stream per payload), and its sizes. */
export interface BenchPayload {
  logStream: string;
  event: { awslogs: { data: string } };
  events: number;
  compressedBytes: number;
  rawBytes: number;
}

// Event ids CloudWatch gives a stream increase by one within a batch; the start is arbitrary.
let nextId = 36_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000n;

/**
 * Realistic payloads from the project's sample logs (test/fixtures/logs): every line is varied (ids, IPs,
 * names, timestamps) as in real traffic, so that gzip compresses them as it would real logs rather than
 * collapsing repeats. Audit is most of an EKS control plane's volume: about 70% of the compressed bytes.
 */
export function buildPayloads(repoRoot: string, targetCompressedBytes: number): BenchPayload[] {
  const fixtures = path.join(repoRoot, 'test', 'fixtures', 'logs');
  const read = (file: string) => readFileSync(path.join(fixtures, file), 'utf8').split('\n').filter((line) => line.trim() !== '');
  const audit = [...read('real/audit.ndjson'), ...read('eks-logs/kube-apiserver-audit.log')];
  const authenticator = read('real/authenticator.log');
  const klog = [...read('real/apiserver.log'), ...read('real/controller-manager.log'), ...read('real/scheduler.log')];
  return [
    build('kube-apiserver-audit-0b5f2a9c1d3e4f67', audit, Math.round(targetCompressedBytes * 0.7)),
    build('authenticator-0b5f2a9c1d3e4f67', authenticator, Math.round(targetCompressedBytes * 0.1)),
    build('kube-apiserver-0b5f2a9c1d3e4f67', klog, Math.round(targetCompressedBytes * 0.2)),
  ];
}

function build(logStream: string, templates: readonly string[], targetCompressedBytes: number): BenchPayload {
  const base = Date.parse('2026-03-02T09:00:00Z');
  const logEvents: { id: string; timestamp: number; message: string }[] = [];
  let data = '';
  let compressedBytes = 0;
  let rawBytes = 0;
  // Grow in steps, measuring the compressed size, until the target is reached.
  while (compressedBytes < targetCompressedBytes) {
    for (let i = 0; i < 500; i++) {
      const template = templates[(logEvents.length + i) % templates.length] ?? '';
      nextId += 1n;
      logEvents.push({ id: nextId.toString(), timestamp: base + logEvents.length, message: vary(template) });
    }
    const json = JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '111122223333', logGroup: '/aws/eks/prod-eu/cluster', logStream, subscriptionFilters: ['eksops-bench'], logEvents });
    const compressed = gzipSync(json);
    compressedBytes = compressed.length;
    rawBytes = Buffer.byteLength(json);
    data = compressed.toString('base64');
  }
  return { logStream, event: { awslogs: { data } }, events: logEvents.length, compressedBytes, rawBytes };
}

/** Replaces uuids, hex ids, IPs and digits runs with fresh random ones, keeping the line's shape. */
function vary(line: string): string {
  return line
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, () => uuid())
    .replace(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g, () => `10.${byte()}.${byte()}.${byte()}`)
    .replace(/(\d{2}:\d{2}:\d{2}\.)\d{6}/g, (_match, head: string) => `${head}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`)
    .replace(/-[a-z0-9]{5}(["\s/])/g, (_match, tail: string) => `-${randomBytes(3).toString('hex').slice(0, 5)}${tail}`);
}

function uuid(): string {
  const hex = randomBytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function byte(): number {
  return Math.floor(Math.random() * 256);
}
