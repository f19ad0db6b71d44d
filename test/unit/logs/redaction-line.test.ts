// Redaction that keeps the audit line: an audit record is serialized from its line, so when redaction
// changes the audit object, the line must say exactly what the object says, or be forgotten.
import { describe, expect, it } from '@jest/globals';
import { toRecord } from '../../../shared/logs/parse/to-record.ts';
import { auditLineOf, keepAuditLine, type LogRecord, serializeRecord } from '../../../shared/logs/record.ts';
import { createRedactor, REDACTED, type RedactionSettings } from '../../../shared/logs/redaction.ts';
import { fixtureLines } from './fixtures.ts';

const origin = { cluster: 'prod', logType: 'audit', logStream: 'kube-apiserver-audit-0a1b' } as const;

function redacted(line: string, settings: RedactionSettings = { enabled: true, patterns: [] }): LogRecord {
  const record = toRecord({ id: '1', timestamp: 1_628_453_084_000, message: line }, origin);
  createRedactor(settings)(record, line);
  return record;
}

/** What the record says when serialized from its redacted object, never from a line. */
function fromObject(record: LogRecord): unknown {
  const copy = { ...record };
  keepAuditLine(copy, undefined);
  return JSON.parse(serializeRecord(copy));
}

const event = (extra: string, rest = '') => `{"kind":"Event","verb":"get","user":{"username":"admin","extra":{${extra}}}${rest}}`;

describe('the access key id, redacted in the audit line itself', () => {
  const fixtures = [...fixtureLines('real/audit.ndjson'), ...fixtureLines('real/audit.legacy-no-apiVersion.ndjson'), ...fixtureLines('eks-logs/kube-apiserver-audit.log')];

  it('serializes every sample audit line to what its redacted object says, with no key id left', () => {
    let keptLines = 0;
    for (const line of fixtures) {
      const keyIds = ((JSON.parse(line) as { user?: { extra?: { accessKeyId?: string[] } } }).user?.extra?.accessKeyId ?? []).filter((id) => id !== '');
      const record = redacted(line);
      const json = serializeRecord(record);
      expect(JSON.parse(json)).toEqual(fromObject(record));
      for (const id of keyIds) expect(json).not.toContain(id);
      if (keyIds.length > 0 && auditLineOf(record) !== undefined) keptLines++;
    }
    // Every sample line with a key id (and nothing else to redact) keeps its line: the fast path is taken.
    expect(keptLines).toBe(fixtures.filter((line) => line.includes('"accessKeyId"') && !line.includes('"kind":"Secret"')).length);
    expect(keptLines).toBeGreaterThan(0);
  });

  it('keeps the rest of the line as written: numbers beyond 2^53 keep their digits', () => {
    const record = redacted(event('"accessKeyId":["ASIAEXAMPLE0000001"],"arn":["arn:aws:sts::1:assumed-role/r/s"]', ',"requestObject":{"resourceVersion":12345678901234567890}'));
    const json = serializeRecord(record);
    expect(json).toContain(`"accessKeyId":["${REDACTED}"],"arn":["arn:aws:sts::1:assumed-role/r/s"]`);
    expect(json).toContain('"resourceVersion":12345678901234567890}');
    expect(json).not.toContain('ASIAEXAMPLE0000001');
    expect(record.redacted).toEqual(['access-key-id']);
  });

  it('accepts JSON whitespace around the colon', () => {
    const record = redacted(event('"accessKeyId" :\t["ASIAEXAMPLE0000001"]'));
    expect(auditLineOf(record)).toBe(event(`"accessKeyId" :\t["${REDACTED}"]`));
  });

  // Each of these lines writes the key or its value in a way a text search cannot be sure of: the line is
  // forgotten and the record serialized from the object, whatever the line holds besides.
  it.each([
    ['the key twice (a decoy in the request object)', event('"accessKeyId":["ASIAEXAMPLE0000001"]', ',"requestObject":{"accessKeyId":["ASIAEXAMPLE0000001"]}')],
    ['the key as a string value elsewhere', event('"accessKeyId":["ASIAEXAMPLE0000001"]', ',"annotations":{"field":"accessKeyId"}')],
    ['the key with an escaped letter', event('"\\u0061ccessKeyId":["ASIAEXAMPLE0000001"]', ',"note":"{\\"accessKeyId\\":[\\"ASIAEXAMPLE0000001\\"]}"')],
    ['the key with an escaped letter, and the same value under that key elsewhere', event('"\\u0061ccessKeyId":["ASIAEXAMPLE0000001"]', ',"requestObject":{"accessKeyId":["ASIAEXAMPLE0000001"]}')],
    ['the value with whitespace inside', event('"accessKeyId":[ "ASIAEXAMPLE0000001" ]')],
    ['the value with an escaped letter', event('"accessKeyId":["\\u0041SIAEXAMPLE0000001"]')],
    ['the value with an escaped slash', event('"accessKeyId":["ASIAEXAMPLE\\/0000001"]')],
  ])('falls back to the object for %s', (_case, line) => {
    const record = redacted(line);
    expect(auditLineOf(record)).toBeUndefined();
    const shipped = JSON.parse(serializeRecord(record)) as { audit: { user: { extra: Record<string, unknown> } } };
    expect(shipped).toEqual(fromObject(record));
    expect(shipped.audit.user.extra).toEqual({ accessKeyId: [REDACTED] });
    expect(record.redacted).toEqual(['access-key-id']);
  });

  it('forgets the line when anything else in the object is redacted', () => {
    const secret = event('"accessKeyId":["ASIAEXAMPLE0000001"]', ',"requestObject":{"kind":"Secret","data":{"password":"c3VwZXItc2VjcmV0"}}');
    const uri = event('"accessKeyId":["ASIAEXAMPLE0000001"]', ',"requestURI":"/x?X-Amz-Security-Token=FQoGZXIvYXdzE"');
    const token = '{"kind":"Event","verb":"create","requestObject":{"kind":"TokenReview","spec":{"token":"eyJhbGciOi"}}}';
    const pattern = event('"arn":["arn"]', ',"annotations":{"note":"password=hunter2"}');
    for (const [line, settings, secretText] of [
      [secret, undefined, 'c3VwZXItc2VjcmV0'],
      [uri, undefined, 'FQoGZXIvYXdzE'],
      [token, undefined, 'eyJhbGciOi'],
      [pattern, { enabled: true, patterns: ['password=\\S+'] }, 'hunter2'],
    ] as const) {
      const record = redacted(line, settings);
      expect(auditLineOf(record)).toBeUndefined();
      const json = serializeRecord(record);
      expect(JSON.parse(json)).toEqual(fromObject(record));
      expect(json).not.toContain(secretText);
      expect(json).not.toContain('ASIAEXAMPLE0000001');
    }
  });

  it('leaves the line alone when redaction is off or finds nothing', () => {
    const line = event('"accessKeyId":["ASIAEXAMPLE0000001"]');
    expect(auditLineOf(redacted(line, { enabled: false, patterns: [] }))).toBe(line);
    const plain = '{"kind":"Event","verb":"get","user":{"username":"admin"}}';
    expect(auditLineOf(redacted(plain))).toBe(plain);
  });
});
