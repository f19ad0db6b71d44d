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
  const [, level, month = '01', day = '01', hour = '00', minute = '00', second = '00', fraction = '0', thread, source] = match;
  // The ISO string is assembled from the line's own digits (no Date object per line: this runs for every
  // event); only the year needs a date computation.
  let year = new Date(ingestedAt).getUTCFullYear();
  if (Date.UTC(year, Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) > ingestedAt + DAY_MS) year -= 1;
  const micros = fraction.length === 6 ? fraction : fraction.padEnd(6, '0').slice(0, 6);
  const time = `${year}-${month}-${day}T${hour}:${minute}:${second}.${micros}Z`;
  return { severity: SEVERITY[level as keyof typeof SEVERITY], time, thread: Number(thread), source: source ?? '', message: line.slice(match[0].length) };
}
