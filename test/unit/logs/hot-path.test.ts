// The forwarder's hot-path shortcuts (see the log bench) must give exactly what the plain code gave.
import { describe, expect, it } from '@jest/globals';
import type { LogDestination } from '../../../shared/logs/destinations/destination.ts';
import { joinLinesToBuffer } from '../../../shared/logs/destinations/ndjson-http.ts';
import { Outbox } from '../../../shared/logs/outbox.ts';
import { parseKlog } from '../../../shared/logs/parse/klog.ts';
import { type LiftedLogfmt, parseLogfmt, parseLogfmtLifted } from '../../../shared/logs/parse/logfmt.ts';
import { toRecord } from '../../../shared/logs/parse/to-record.ts';
import { type LogRecord, serializeRecord } from '../../../shared/logs/record.ts';
import { createRedactor, REDACTED } from '../../../shared/logs/redaction.ts';
import { fixtureLines } from './fixtures.ts';

const AUG_2021 = Date.parse('2021-08-08T20:04:45Z');
const authenticator = { cluster: 'prod', logType: 'authenticator', logStream: 'authenticator-0a1b' } as const;

describe('logfmt with time, level and msg lifted out', () => {
  it.each([
    'time="2021-08-08T20:04:44Z" level=warning msg="access \\"denied\\"" client="127.0.0.1:52856" method=POST arn=',
    'time="a" level=info msg=hi time="b" flag client=x',
    'msg="path C:\\\\" level=info',
    'level=info other=1',
    'msg=only',
    'a=1 b=2 __proto__=x constructor=y',
  ])('splits %s as destructuring parseLogfmt would', (line) => {
    const parsed = parseLogfmt(line);
    if (parsed === undefined) throw new Error(`parseLogfmt refused ${line}`);
    const { time, level, msg, ...rest } = parsed;
    const fields: Record<string, string> = {};
    const lifted: LiftedLogfmt = { time: 'stale', level: 'stale', msg: 'stale' };
    expect(parseLogfmtLifted(line, fields, lifted)).toBe(true);
    expect(lifted).toEqual({ time, level, msg });
    expect(Object.entries(fields)).toEqual(Object.entries(rest));
  });

  it.each(['msg="never closed', 'level=info', '=x', 'ke"y=1 msg=a', ''])('refuses %j as parseLogfmt does', (line) => {
    expect(parseLogfmt(line)).toBeUndefined();
    expect(parseLogfmtLifted(line, {}, { time: undefined, level: undefined, msg: undefined })).toBe(false);
  });
});

describe('klog year', () => {
  it('gives each line the year of its own ingestion time, across years and back again', () => {
    const line = 'E1231 23:59:59.999999       1 x.go:1] late';
    const early = 'I0101 00:00:00.5 1 x.go:1] early';
    expect(parseKlog(early, Date.parse('2027-01-01T00:00:01Z'))?.time).toBe('2027-01-01T00:00:00.500000Z');
    expect(parseKlog(line, Date.parse('2027-01-01T00:00:01Z'))?.time).toBe('2026-12-31T23:59:59.999999Z');
    expect(parseKlog(early, Date.parse('2026-12-31T23:00:00Z'))?.time).toBe('2026-01-01T00:00:00.500000Z');
    expect(parseKlog(early, AUG_2021)?.time).toBe('2021-01-01T00:00:00.500000Z');
    // The year is cached between calls: asking for 2021 in between must not leak into 2027.
    expect(parseKlog(early, Date.parse('2027-01-01T00:00:01Z'))?.time).toBe('2027-01-01T00:00:00.500000Z');
  });

  it('gives a line no time when its ingestion time holds no year, and keeps the rest of the line', () => {
    const early = 'I0101 00:00:00.5 1 x.go:1] early';
    // Beyond ±8.64e15 ms a Date holds nothing: a CloudWatch timestamp there is hostile, not a year.
    for (const ingestedAt of [Number.NaN, 1e20, -1e20]) expect(parseKlog(early, ingestedAt)).toEqual({ severity: 'INFO', time: undefined, thread: 1, source: 'x.go:1', message: 'early' });
  });
});

describe('klog header read character by character', () => {
  // The definition the scanner must agree with: the regular expression it replaced, used the same way.
  const KLOG = /^([IWEF])(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{1,9})\s+(\d+) ([^\]\s]+)\] ?/;
  const SEVERITY = { I: 'INFO', W: 'WARNING', E: 'ERROR', F: 'FATAL' } as const;
  const byRegex = (line: string, ingestedAt: number) => {
    const match = KLOG.exec(line);
    if (!match) return undefined;
    const [, severity = 'I', month = '', day = '', hour = '', minute = '', second = '', fraction = '', thread = '', source = ''] = match;
    let year = new Date(ingestedAt).getUTCFullYear();
    if (Date.UTC(year, Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) > ingestedAt + 86_400_000) year -= 1;
    const micros = fraction.padEnd(6, '0').slice(0, 6);
    return { severity: SEVERITY[severity as keyof typeof SEVERITY], time: `${year}-${month}-${day}T${hour}:${minute}:${second}.${micros}Z`, thread: Number(thread), source, message: line.slice(match[0].length) };
  };
  const real = [...fixtureLines('real/apiserver.log'), ...fixtureLines('real/controller-manager.log'), ...fixtureLines('real/scheduler.log'), ...fixtureLines('eks-logs/kube-apiserver.log')];
  const crafted = [
    'I0101 00:00:00.5 1 x.go:1] early',
    'W1231 23:59:59.123456789 7 a.go:9]no space after the bracket',
    'E0606 06:06:06.1234567890 1 a.go:1] ten fraction digits',
    'F0606 06:06:06.123456\t\t42 a.go:1] tabs before the thread',
    'I0606 06:06:06.123456\u00a0\u2003\u3000 3 a.go:1] unicode spaces',
    'I0606 06:06:06.123456 1 a.go:1]',
    'I0606 06:06:06.123456 1 a.go:1] ',
    'I0606 06:06:06.123456 99999999999999999999 a.go:1] a thread past 2^53',
    'I0606 06:06:06.123456 1  a.go:1] two spaces before the source',
    'I0606 06:06:06.123456 1 a b.go:1] a space in the source',
    'I0606 06:06:06.123456 1 a.go:1 no bracket',
    'I0606 06:06:06.123456 1 ] empty source',
    'I0606 06:06:06. 1 a.go:1] no fraction',
    'I0606 06:06:06.123456 a.go:1] no thread',
    'I0606 06:06:06.123456 1\ta.go:1] a tab before the source',
    'I0606 06:06:06.123456 1 a.go:1\u00a0] a no-break space in the source',
    'I06a6 06:06:06.123456 1 a.go:1] a letter in the date',
    'I0606-06:06:06.123456 1 a.go:1] a dash for the space',
    'I0606 06-06:06.123456 1 a.go:1] a dash for the colon',
    'X0606 06:06:06.123456 1 a.go:1] unknown severity',
    'i0606 06:06:06.123456 1 a.go:1] lower-case severity',
    'I1399 25:61:61.000001 1 a.go:1] impossible date, as the regular expression allowed it',
    'I0606 06:06:06.1',
    '',
    'I',
  ];

  // Deterministic mutations of the header of real lines: a character replaced, removed or doubled.
  const mutated: string[] = [];
  let seed = 12345;
  const random = (below: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % below;
  };
  const alphabet = 'IWEF0123456789 .:]\tx\u00a0';
  for (let round = 0; round < 3000; round++) {
    const line = real[random(real.length)] ?? '';
    const at = random(Math.min(line.length, 48));
    const edit = random(3);
    const char = alphabet[random(alphabet.length)] ?? ' ';
    mutated.push(edit === 0 ? line.slice(0, at) + char + line.slice(at + 1) : edit === 1 ? line.slice(0, at) + line.slice(at + 1) : line.slice(0, at) + line.charAt(at) + line.slice(at));
  }

  it.each([
    ['real lines', real],
    ['crafted edge cases', crafted],
    ['mutated real lines', mutated],
  ])('gives what the regular expression gave, for %s', (_what, lines) => {
    const differences = lines.flatMap((line) => {
      const expected = byRegex(line, AUG_2021);
      const actual = parseKlog(line, AUG_2021);
      return JSON.stringify(actual) === JSON.stringify(expected) ? [] : [{ line, expected, actual }];
    });
    expect(differences).toEqual([]);
    expect(lines.some((line) => parseKlog(line, AUG_2021) !== undefined)).toBe(true);
  });

  it('agrees on every UTF-16 code unit before the thread, in the source and after the bracket', () => {
    const lines: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      lines.push(`I0606 06:06:06.123456${char}1 a.go:1] m`, `I0606 06:06:06.123456 1 a${char}.go:1] m`, `I0606 06:06:06.123456 1 a.go:1]${char}m`);
    }
    const differences = lines.filter((line) => JSON.stringify(parseKlog(line, AUG_2021)) !== JSON.stringify(byRegex(line, AUG_2021)));
    expect(differences.map((line) => JSON.stringify(line))).toEqual([]);
  });

  it('refuses as many mutated lines as the regular expression did', () => {
    const refused = mutated.filter((line) => byRegex(line, AUG_2021) === undefined).length;
    expect(refused).toBeGreaterThan(300);
    expect(mutated.filter((line) => parseKlog(line, AUG_2021) === undefined)).toHaveLength(refused);
  });
});

describe('session-token redaction of logfmt fields', () => {
  const redact = createRedactor({ enabled: true, patterns: [] });
  const record = (line: string): LogRecord => {
    const result = toRecord({ id: '1', timestamp: AUG_2021, message: line }, authenticator);
    redact(result, line);
    return result;
  };

  it('redacts a token in any field, with the line given', () => {
    const redacted = record('time="2021-08-08T20:04:44Z" level=info msg=hi url="https://sts?X-Amz-Security-Token=abc&x=1" token=k8s-aws-v1.abcDEF');
    expect(redacted.fields).toEqual({ url: `https://sts?X-Amz-Security-Token=${REDACTED}&x=1`, token: REDACTED });
    expect(redacted.redacted).toEqual(['session-token']);
  });

  it('redacts a token that only appears once a value is unescaped', () => {
    const redacted = record('time="2021-08-08T20:04:44Z" level=info msg="tok k8s-aws-v1\\.abcDEF"');
    expect(redacted.message).toBe(`tok ${REDACTED}`);
    expect(redacted.redacted).toEqual(['session-token']);
  });

  it('leaves a line without a token as it was', () => {
    const redacted = record('time="2021-08-08T20:04:44Z" level=info msg=hi client="127.0.0.1:1"');
    expect(redacted.fields).toEqual({ client: '127.0.0.1:1' });
    expect(redacted.redacted).toBeUndefined();
  });

  it('still tests configured patterns value by value (they may be anchored)', () => {
    const custom = createRedactor({ enabled: true, patterns: ['^secret'] });
    const line = 'msg=hi key=secret-value';
    const result = toRecord({ id: '1', timestamp: AUG_2021, message: line }, authenticator);
    custom(result, line);
    expect(result.fields).toEqual({ key: `${REDACTED}-value` });
  });
});

describe('the outbox: bodies held as bytes', () => {
  const origin = { cluster: 'prod', logType: 'scheduler', logStream: 'kube-scheduler-1' } as const;
  const klog = (id: string, text: string) => toRecord({ id, timestamp: AUG_2021, message: `I0808 20:04:44.123456       1 main.go:12] ${text}` }, origin);
  const records = [klog('1', 'plain'), klog('2', 'é and 日本 and 🚀'), klog('3', 'quote " and \\ backslash'), klog('4', 'x'.repeat(300)), klog('5', 'last')];
  const destination = (name: string, accepts: (record: LogRecord) => boolean = () => true): LogDestination => ({
    name,
    type: 'http',
    limits: { maxRecords: 10, maxBytes: 10_000, maxRecordBytes: 10_000 },
    accepts,
    serialize: (record, json) => `${record.id}:${json}`,
    send: () => Promise.resolve({ kind: 'delivered' }),
  });

  it('keeps each body and its UTF-8 size, across buffers, and joins them into the lines a string join gives', () => {
    const target = destination('a');
    // Buffers of 64 bytes: most bodies start a new one, the 300-character one needs one of its own.
    const outbox = new Outbox([target], { chunkBytes: 64 });
    for (const record of records) outbox.add(record);
    const entries = outbox.entriesOf(target);
    const expected = records.map((record) => `${record.id}:${serializeRecord(record)}`);
    expect(entries.map((entry) => entry.body)).toEqual(expected);
    expect(entries.map((entry) => entry.bytes)).toEqual(expected.map((body) => Buffer.byteLength(body)));
    expect(joinLinesToBuffer(entries).toString('utf8')).toBe(expected.map((body) => `${body}\n`).join(''));
  });

  it('gives each destination the records it accepts, in order', () => {
    const all = destination('all');
    const even = destination('even', (record) => Number(record.id) % 2 === 0);
    const outbox = new Outbox([all, even]);
    for (const record of records) outbox.add(record);
    expect(outbox.entriesOf(all).map((entry) => entry.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(outbox.entriesOf(even).map((entry) => entry.body.split(':')[0])).toEqual(['2', '4']);
    expect(outbox.entriesOf(destination('unknown'))).toEqual([]);
  });

  it('refuses to read an entry once the outbox is released, and the next outbox writes its own bodies correctly', () => {
    const target = destination('a');
    const first = new Outbox([target]);
    for (const record of records) first.add(record);
    const [entry] = first.entriesOf(target);
    first.release();
    expect(() => entry?.body).toThrow('the outbox was released');
    expect(() => entry?.copyTo(Buffer.alloc(1_000), 0)).toThrow('the outbox was released');
    expect(() => first.add(records[0] as LogRecord)).toThrow('the outbox was released');

    // The next outbox may be given the same buffers: what it holds is its own records, whole.
    const second = new Outbox([target]);
    for (const record of [...records].reverse()) second.add(record);
    expect(second.entriesOf(target).map((kept) => kept.body)).toEqual([...records].reverse().map((record) => `${record.id}:${serializeRecord(record)}`));
    second.release();
  });

  it('keeps what it needs of a record, not the record: its JSON, id, time, cluster and log type, unchanged if the record changes', () => {
    const audit = { cluster: 'prod', logType: 'audit', logStream: 'kube-apiserver-audit-0a1b' } as const;
    const plain = toRecord({ id: '6', timestamp: AUG_2021, message: '{"kind":"Event","verb":"get","user":{"username":"admin"},"resourceVersion":12345678901234567890}' }, audit);
    const secret = '{"kind":"Event","verb":"create","requestObject":{"kind":"Secret","data":{"password":"c3VwZXItc2VjcmV0"}}}';
    const redacted = toRecord({ id: '7', timestamp: AUG_2021 + 1, message: secret }, audit);
    createRedactor({ enabled: true, patterns: [] })(redacted, secret);
    const json = [serializeRecord(plain), serializeRecord(redacted)];
    // The body differs from the JSON here (`id:` before it), so the JSON is held apart from the body.
    const framed = destination('framed');
    const ndjson: LogDestination = { ...destination('ndjson'), serialize: (_record, text) => text };
    const outbox = new Outbox([framed, ndjson]);
    outbox.add(plain);
    outbox.add(redacted);
    plain.verb = 'delete';
    plain.cluster = 'other';
    plain.timestamp = 0;

    for (const target of [framed, ndjson]) {
      expect(outbox.entriesOf(target).map(({ id, timestamp, cluster, logType, json: text }) => ({ id, timestamp, cluster, logType, json: text }))).toEqual([
        { id: '6', timestamp: AUG_2021, cluster: 'prod', logType: 'audit', json: json[0] },
        { id: '7', timestamp: AUG_2021 + 1, cluster: 'prod', logType: 'audit', json: json[1] },
      ]);
    }
    expect(outbox.entriesOf(framed).map((entry) => entry.body)).toEqual(json.map((text, index) => `${6 + index}:${text}`));
    expect(outbox.entriesOf(ndjson).map((entry) => entry.body)).toEqual(json);
    expect(json[0]).toContain('"resourceVersion":12345678901234567890}');
    expect(JSON.parse(json[1] ?? '')).toMatchObject({ redacted: ['secret-data'], audit: { requestObject: { data: { password: REDACTED } } } });
    outbox.release();
    expect(() => outbox.entriesOf(ndjson)[0]?.json).toThrow('the outbox was released');
  });
});

describe('serializing a record with its audit line as it came', () => {
  const audit = { cluster: 'prod', logType: 'audit', logStream: 'kube-apiserver-audit-0a1b' } as const;
  const line = '{"kind":"Event","verb":"get","user":{"username":"admin","groups":["system:masters"]},"objectRef":{"resource":"pods","namespace":"web"},"responseStatus":{"code":200},"stageTimestamp":"2021-08-08T20:04:44.123456Z","annotations":{"bytes":"12345678901234567890123"},"resourceVersion":12345678901234567890}';

  it('gives the same JSON value as JSON.stringify, with numbers beyond 2^53 keeping their digits', () => {
    const record = toRecord({ id: '1'.repeat(56), timestamp: AUG_2021, message: line }, audit);
    const serialized = serializeRecord(record);

    const { audit: parsedAudit, ...rest } = JSON.parse(serialized) as LogRecord;
    const { audit: plainAudit, ...plainRest } = JSON.parse(JSON.stringify(record)) as LogRecord;
    expect(rest).toEqual(plainRest);
    expect(parsedAudit).toEqual(plainAudit);
    expect(serialized.endsWith(`,"audit":${line}}`)).toBe(true);
    expect(serialized).toContain('"resourceVersion":12345678901234567890}');
    expect(record.audit?.verb).toBe('get');
  });

  it('serializes the redacted object, never the original line, once redaction changed the record', () => {
    const secret = '{"kind":"Event","verb":"create","objectRef":{"resource":"secrets"},"requestObject":{"kind":"Secret","data":{"password":"c3VwZXItc2VjcmV0"}}}';
    const record = toRecord({ id: '2'.repeat(56), timestamp: AUG_2021, message: secret }, audit);
    createRedactor({ enabled: true, patterns: [] })(record, secret);

    const serialized = serializeRecord(record);
    expect(serialized).not.toContain('c3VwZXItc2VjcmV0');
    expect(serialized).toBe(JSON.stringify(record));
    expect(JSON.parse(serialized)).toMatchObject({ redacted: ['secret-data'], audit: { requestObject: { data: { password: REDACTED } } } });
  });

  it('serializes records that are not audit records, or lines that did not parse, with JSON.stringify', () => {
    const klog = toRecord({ id: '3'.repeat(56), timestamp: AUG_2021, message: 'I0808 20:04:44.123456       1 main.go:12] started' }, { cluster: 'prod', logType: 'scheduler', logStream: 'kube-scheduler-1' });
    const broken = toRecord({ id: '4'.repeat(56), timestamp: AUG_2021, message: '{"kind":' }, audit);
    expect(serializeRecord(klog)).toBe(JSON.stringify(klog));
    expect(serializeRecord(broken)).toBe(JSON.stringify(broken));
  });
});
