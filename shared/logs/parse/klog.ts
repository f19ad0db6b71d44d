/**
 * klog, the format of kube-apiserver, kube-controller-manager and kube-scheduler:
 * `I0626 10:10:35.292107       1 get.go:245] Starting watch for /api/v1/persistentvolumes`
 * (severity, month, day, time, thread id, source file:line, message). The line has no year.
 */
export interface KlogFields {
  severity: 'INFO' | 'WARNING' | 'ERROR' | 'FATAL';
  /** Undefined when the ingestion time gives no year (not a date JavaScript can hold). */
  time: string | undefined;
  thread: number;
  source: string;
  message: string;
}

const SEVERITY: Record<number, KlogFields['severity']> = { 0x49: 'INFO', 0x57: 'WARNING', 0x45: 'ERROR', 0x46: 'FATAL' };
const DAY_MS = 86_400_000;
const ZERO = 0x30;
const SPACE = 0x20;
const CLOSE_BRACKET = 0x5d;

/**
 * `ingestedAt` is the CloudWatch timestamp: the line's year is the one that puts its time closest before
 * it (a line written on Dec 31 and ingested on Jan 1 belongs to the previous year).
 *
 * The header is read character by character, exactly as
 * `/^([IWEF])(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{1,9})\s+(\d+) ([^\]\s]+)\] ?/` would match it (the
 * unit tests hold the two to the same answers): this runs for every event, and the regular expression's
 * match array and nine captures were most of what a line cost.
 */
export function parseKlog(line: string, ingestedAt: number): KlogFields | undefined {
  const severity = SEVERITY[line.charCodeAt(0)];
  if (severity === undefined || line.length < 18) return undefined;
  // Lmmdd hh:mm:ss.
  if (!digits(line, 1, 5) || line.charCodeAt(5) !== SPACE || !digits(line, 6, 8) || line.charCodeAt(8) !== 0x3a) return undefined;
  if (!digits(line, 9, 11) || line.charCodeAt(11) !== 0x3a || !digits(line, 12, 14) || line.charCodeAt(14) !== 0x2e) return undefined;
  let index = 15;
  while (index < line.length && isDigit(line.charCodeAt(index))) index++;
  const fractionLength = index - 15;
  if (fractionLength < 1 || fractionLength > 9) return undefined;
  const fractionEnd = index;
  while (index < line.length && isWhitespace(line.charCodeAt(index))) index++;
  if (index === fractionEnd) return undefined;
  let thread = 0;
  const threadStart = index;
  for (let code = line.charCodeAt(index); isDigit(code); code = line.charCodeAt(++index)) thread = thread * 10 + code - ZERO;
  if (index === threadStart || line.charCodeAt(index) !== SPACE) return undefined;
  // Past 15 digits the running sum may round differently from Number(): read those rare ones as Number does.
  if (index - threadStart > 15) thread = Number(line.slice(threadStart, index));
  const sourceStart = ++index;
  for (let code = line.charCodeAt(index); index < line.length && code !== CLOSE_BRACKET && !isWhitespace(code); code = line.charCodeAt(++index));
  if (index === sourceStart || line.charCodeAt(index) !== CLOSE_BRACKET) return undefined;
  const source = line.slice(sourceStart, index);
  index++;
  if (line.charCodeAt(index) === SPACE) index++;

  const month = twoDigits(line, 1);
  const day = twoDigits(line, 3);
  let year = utcYear(ingestedAt);
  if (Date.UTC(year, month - 1, day, twoDigits(line, 6), twoDigits(line, 9), twoDigits(line, 12)) > ingestedAt + DAY_MS) year -= 1;
  // The ISO string is assembled from the line's own characters (no Date object per line); only the year needed
  // a date. `hh:mm:ss.ffffff` is already in the line when the fraction has six digits, as klog writes it.
  const clock = fractionLength === 6 ? line.slice(6, 21) : `${line.slice(6, 15)}${line.slice(15, fractionEnd).padEnd(6, '0').slice(0, 6)}`;
  const time = Number.isFinite(year) ? `${year}-${line.slice(1, 3)}-${line.slice(3, 5)}T${clock}Z` : undefined;
  return { severity, time, thread, source, message: line.slice(index) };
}

function isDigit(code: number): boolean {
  return code >= ZERO && code <= 0x39;
}

function digits(line: string, from: number, to: number): boolean {
  for (let index = from; index < to; index++) if (!isDigit(line.charCodeAt(index))) return false;
  return true;
}

function twoDigits(line: string, at: number): number {
  return (line.charCodeAt(at) - ZERO) * 10 + line.charCodeAt(at + 1) - ZERO;
}

/** What `\s` matches in a JavaScript regular expression. */
function isWhitespace(code: number): boolean {
  if (code <= SPACE) return code === SPACE || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

// The UTC year of the last timestamp asked about, with its bounds: the events of a payload share a year.
let cachedYear = 1970;
let cachedYearStart = 0;
let cachedYearEnd = Date.UTC(1971, 0, 1);

function utcYear(epochMs: number): number {
  if (epochMs >= cachedYearStart && epochMs < cachedYearEnd) return cachedYear;
  const year = new Date(epochMs).getUTCFullYear();
  // NaN (an invalid timestamp) is never cached; nor are years 0-99, which Date.UTC reads as 1900-1999.
  if (year >= 100) {
    cachedYear = year;
    cachedYearStart = Date.UTC(year, 0, 1);
    cachedYearEnd = Date.UTC(year + 1, 0, 1);
  }
  return year;
}
