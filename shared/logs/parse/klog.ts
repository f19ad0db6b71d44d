/**
 * klog, the format of kube-apiserver, kube-controller-manager and kube-scheduler:
 * `I0626 10:10:35.292107       1 get.go:245] Starting watch for /api/v1/persistentvolumes`
 * (severity, month, day, time, thread id, source file:line, message). The line has no year.
 */
export interface KlogFields {
  severity: 'INFO' | 'WARNING' | 'ERROR' | 'FATAL';
  time: string;
  thread: number;
  source: string;
  message: string;
}

const KLOG = /^([IWEF])(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{1,9})\s+(\d+) ([^\]\s]+)\] ?/;
const SEVERITY = { I: 'INFO', W: 'WARNING', E: 'ERROR', F: 'FATAL' } as const;
const DAY_MS = 86_400_000;

/**
 * `ingestedAt` is the CloudWatch timestamp: the line's year is the one that puts its time closest before
 * it (a line written on Dec 31 and ingested on Jan 1 belongs to the previous year).
 */
export function parseKlog(line: string, ingestedAt: number): KlogFields | undefined {
  const match = KLOG.exec(line);
  if (!match) return undefined;
  const month = match[2] ?? '01';
  const day = match[3] ?? '01';
  const hour = match[4] ?? '00';
  const minute = match[5] ?? '00';
  const second = match[6] ?? '00';
  const fraction = match[7] ?? '0';
  // The ISO string is assembled from the line's own digits (no Date object per line: this runs for every
  // event); only the year needs a date computation.
  let year = utcYear(ingestedAt);
  if (Date.UTC(year, Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) > ingestedAt + DAY_MS) year -= 1;
  const micros = fraction.length === 6 ? fraction : fraction.padEnd(6, '0').slice(0, 6);
  const time = `${year}-${month}-${day}T${hour}:${minute}:${second}.${micros}Z`;
  return { severity: SEVERITY[match[1] as keyof typeof SEVERITY], time, thread: Number(match[8]), source: match[9] ?? '', message: line.slice(match[0].length) };
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
