/**
 * logfmt, the format of aws-iam-authenticator:
 * `time="2021-08-08T20:04:44Z" level=warning msg="access denied" client="127.0.0.1:52856" method=POST`.
 * Values are bare words or double-quoted strings with backslash escapes; a key without `=` is a flag.
 */
export function parseLogfmt(line: string): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  return scanLogfmt(line, fields, undefined) ? fields : undefined;
}

/** `time`, `level` and `msg`, which a record lifts out of the other fields. */
export interface LiftedLogfmt {
  time: string | undefined;
  level: string | undefined;
  msg: string | undefined;
}

/**
 * The same parse, with `time`, `level` and `msg` put in `lifted` instead of `fields` (as
 * `const { time, level, msg, ...fields } = parseLogfmt(line)` would, without the second object per line).
 * Returns false when the line is not logfmt (`fields` and `lifted` then hold a partial parse).
 */
export function parseLogfmtLifted(line: string, fields: Record<string, string>, lifted: LiftedLogfmt): boolean {
  lifted.time = undefined;
  lifted.level = undefined;
  lifted.msg = undefined;
  return scanLogfmt(line, fields, lifted);
}

const SPACE = 0x20;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function scanLogfmt(line: string, fields: Record<string, string>, lifted: LiftedLogfmt | undefined): boolean {
  let index = 0;
  const length = line.length;
  let count = 0;
  let hasMsg = false;
  while (index < length) {
    while (index < length && line.charCodeAt(index) === SPACE) index++;
    if (index >= length) break;
    const keyStart = index;
    let code = 0;
    while (index < length && (code = line.charCodeAt(index)) !== EQUALS && code !== SPACE) {
      // A key with a quote in it: not logfmt.
      if (code === QUOTE) return false;
      index++;
    }
    if (index === keyStart) return false;
    const key = line.slice(keyStart, index);
    let value: string;
    if (index >= length || code !== EQUALS) {
      value = 'true';
    } else {
      index++;
      if (line.charCodeAt(index) === QUOTE) {
        index++;
        // Most values have no escapes: find the closing quote and slice; unescape only when needed.
        let end = line.indexOf('"', index);
        let escaped = false;
        while (end > 0 && line.charCodeAt(end - 1) === BACKSLASH && !evenBackslashesBefore(line, end)) {
          escaped = true;
          end = line.indexOf('"', end + 1);
        }
        if (end < 0) return false;
        const raw = line.slice(index, end);
        value = escaped || raw.includes('\\') ? unescape(raw) : raw;
        index = end + 1;
      } else {
        const space = line.indexOf(' ', index);
        const end = space < 0 ? length : space;
        value = line.slice(index, end);
        index = end;
      }
    }
    if (key === 'msg') hasMsg = true;
    if (lifted !== undefined && (key === 'time' || key === 'level' || key === 'msg')) lifted[key] = value;
    // `__proto__` is a field like any other: an own, enumerable property (assignment would set the prototype).
    else if (key === '__proto__') Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
    else fields[key] = value;
    count++;
  }
  return count > 0 && hasMsg ? true : count > 1;
}

/** True when the quote at `at` is preceded by an even number of backslashes (so it is not escaped). */
function evenBackslashesBefore(line: string, at: number): boolean {
  let count = 0;
  for (let index = at - 1; index >= 0 && line.charCodeAt(index) === BACKSLASH; index--) count++;
  return count % 2 === 0;
}

function unescape(raw: string): string {
  return raw.replace(/\\(.)/g, (_match, char: string) => (char === 'n' ? '\n' : char === 't' ? '\t' : char));
}
