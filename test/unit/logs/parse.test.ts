import { describe, expect, it } from '@jest/globals';
import { clusterOfLogGroup, logTypeOfStream } from '../../../shared/logs/log-source.ts';
import { parseKlog } from '../../../shared/logs/parse/klog.ts';
import { parseLogfmt } from '../../../shared/logs/parse/logfmt.ts';
import { toRecord } from '../../../shared/logs/parse/to-record.ts';
import { fixtureLines } from './fixtures.ts';

const AUG_2021 = Date.parse('2021-08-08T20:04:45Z');

describe('log source', () => {
  it.each([
    ['kube-apiserver-audit-0a1b2c3d', 'audit'],
    ['kube-apiserver-0a1b2c3d', 'api'],
    ['authenticator-0a1b2c3d', 'authenticator'],
    ['kube-controller-manager-0a1b2c3d', 'controllerManager'],
    ['kube-scheduler-0a1b2c3d', 'scheduler'],
    ['cloud-controller-manager-0a1b2c3d', 'cloudControllerManager'],
    ['etcd-0a1b', 'unknown'],
  ])('classifies stream %s as %s (audit before api)', (stream, type) => {
    expect(logTypeOfStream(stream)).toBe(type);
  });

  it('reads the cluster from an EKS log group and refuses any other', () => {
    expect(clusterOfLogGroup('/aws/eks/prod-eu/cluster')).toBe('prod-eu');
    expect(clusterOfLogGroup('/aws/lambda/eksops-dev-logForwarder')).toBeUndefined();
    expect(clusterOfLogGroup('/aws/eks/prod/cluster/extra')).toBeUndefined();
  });
});

describe('klog', () => {
  it('parses severity, time with the year of the CloudWatch timestamp, source and message', () => {
    const [line] = fixtureLines('eks-logs/kube-apiserver.log');
    expect(parseKlog(line ?? '', Date.parse('2026-06-26T10:10:36Z'))).toEqual({
      severity: 'INFO',
      time: '2026-06-26T10:10:35.292107Z',
      thread: 1,
      source: 'get.go:245',
      message: 'Starting watch for /api/v1/persistentvolumes, rv=4220807 labels= fields= timeout=5m2s',
    });
  });

  it('puts a Dec 31 line ingested on Jan 1 in the previous year', () => {
    expect(parseKlog('E1231 23:59:59.999999       1 x.go:1] late', Date.parse('2027-01-01T00:00:01Z'))?.time).toBe('2026-12-31T23:59:59.999999Z');
  });

  it('parses every real controller-manager and scheduler line', () => {
    for (const line of [...fixtureLines('real/controller-manager.log'), ...fixtureLines('real/scheduler.log'), ...fixtureLines('real/apiserver.log')]) {
      expect({ line, time: parseKlog(line, AUG_2021)?.time }).toEqual({ line, time: expect.stringMatching(/^202[01]-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/) });
    }
  });

  it('refuses a line that is not klog', () => {
    expect(parseKlog('time="2021-08-08T20:04:44Z" level=info', AUG_2021)).toBeUndefined();
  });
});

describe('logfmt', () => {
  it('parses quoted values with escapes and bare values', () => {
    expect(parseLogfmt('time="2021-08-08T20:04:44Z" level=warning msg="access \\"denied\\"" client="127.0.0.1:52856" method=POST arn=')).toEqual({
      time: '2021-08-08T20:04:44Z',
      level: 'warning',
      msg: 'access "denied"',
      client: '127.0.0.1:52856',
      method: 'POST',
      arn: '',
    });
  });

  it('parses every real authenticator line', () => {
    for (const line of [...fixtureLines('real/authenticator.log'), ...fixtureLines('eks-logs/authenticator.log')]) {
      expect(parseLogfmt(line)?.msg).toEqual(expect.any(String));
    }
  });

  it('ends a quoted value at a quote preceded by an escaped backslash', () => {
    expect(parseLogfmt('msg="path C:\\\\" level=info')).toEqual({ msg: 'path C:\\', level: 'info' });
  });

  it('refuses an unterminated quote', () => {
    expect(parseLogfmt('msg="never closed')).toBeUndefined();
  });
});

describe('toRecord', () => {
  const origin = { cluster: 'prod', logStream: 'kube-apiserver-audit-1' } as const;

  it('lifts verb, user, objectRef, response code and timestamps out of an audit event and keeps the event', () => {
    const [, secretCreate] = fixtureLines('eks-logs/kube-apiserver-audit.log');
    const record = toRecord({ id: '1', timestamp: AUG_2021, message: secretCreate ?? '' }, { ...origin, logType: 'audit' });
    expect(record).toMatchObject({
      id: '1',
      cluster: 'prod',
      logType: 'audit',
      verb: 'create',
      user: 'arn:aws:sts::123456789012:assumed-role/ci-deployer/build-4711',
      groups: ['system:authenticated'],
      namespace: 'payments',
      resource: 'secrets',
      name: 'db-credentials',
      responseCode: 201,
      requestReceivedTimestamp: '2024-03-02T11:04:05.000001Z',
      stageTimestamp: '2024-03-02T11:04:05.012345Z',
      auditID: '1b3b1e4b-0f0a-4a43-9b1e-3d1c2f0e9a77',
      level: 'RequestResponse',
    });
    expect(record.audit?.kind).toBe('Event');
    expect(record.message).toBeUndefined();
  });

  it('parses every real audit event, legacy ones included', () => {
    for (const line of [...fixtureLines('real/audit.ndjson'), ...fixtureLines('real/audit.legacy-no-apiVersion.ndjson')]) {
      const record = toRecord({ id: '1', timestamp: AUG_2021, message: line }, { ...origin, logType: 'audit' });
      expect(record.parseError).toBeUndefined();
      expect(record.verb).toEqual(expect.any(String));
    }
  });

  it('keeps an audit line that is not JSON as text, with the reason', () => {
    const record = toRecord({ id: '1', timestamp: AUG_2021, message: '{"kind":"Event","verb":' }, { ...origin, logType: 'audit' });
    expect(record.message).toBe('{"kind":"Event","verb":');
    expect(record.parseError).toMatch(/^audit line is not JSON/);
  });

  it('keeps the authenticator fields and lifts time, level and msg', () => {
    const [line] = fixtureLines('eks-logs/authenticator.log');
    const record = toRecord({ id: '2', timestamp: AUG_2021, message: line ?? '' }, { cluster: 'prod', logStream: 'authenticator-1', logType: 'authenticator' });
    expect(record).toMatchObject({ time: '2019-06-26T07:18:27Z', level: 'info', message: 'access granted', fields: { method: 'POST', path: '/authenticate' } });
  });

  it('keeps a line of an unknown stream as text, without a parse error', () => {
    expect(toRecord({ id: '3', timestamp: AUG_2021, message: 'hello' }, { cluster: 'prod', logStream: 'etcd-1', logType: 'unknown' })).toEqual({
      id: '3',
      timestamp: AUG_2021,
      cluster: 'prod',
      logType: 'unknown',
      logStream: 'etcd-1',
      message: 'hello',
    });
  });
});
