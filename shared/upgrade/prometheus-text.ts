/**
 * The samples of one metric in the Prometheus text exposition format (version 0.0.4, what the API server's
 * `/metrics` serves; prometheus.io/docs/instrumenting/exposition_formats): `name{label="value",…} value [timestamp]`,
 * `#` lines are HELP/TYPE/comments, label values escape `\\`, `\"` and `\n`. Bounded: an API server's /metrics is a
 * few MiB, so the text read is cut at MAX_TEXT_CHARS and MAX_LINES, and at most MAX_SAMPLES samples of the metric are
 * kept; `truncated` says when any bound was hit. A malformed line is skipped and counted, never thrown on.
 */
export const MAX_TEXT_CHARS = 16 * 1024 * 1024;
export const MAX_LINES = 200_000;
export const MAX_SAMPLES = 1_000;
/** A label value longer than this is not one the API server writes. */
const MAX_LABEL_VALUE = 1_024;

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface MetricSamples {
  samples: Sample[];
  truncated: boolean;
  /** Lines of the metric that did not parse. */
  malformed: number;
}

export function samplesOf(text: string, metric: string, limits: { maxChars?: number; maxLines?: number; maxSamples?: number } = {}): MetricSamples {
  const maxChars = limits.maxChars ?? MAX_TEXT_CHARS;
  const maxLines = limits.maxLines ?? MAX_LINES;
  const maxSamples = limits.maxSamples ?? MAX_SAMPLES;
  let truncated = text.length > maxChars;
  const body = truncated ? text.slice(0, maxChars) : text;
  const samples: Sample[] = [];
  let malformed = 0;
  let lineCount = 0;
  let start = 0;
  while (start < body.length) {
    if (lineCount >= maxLines) {
      truncated = true;
      break;
    }
    let end = body.indexOf('\n', start);
    if (end < 0) {
      // The last line of a cut text may be cut too: it is not read.
      if (body.length < text.length) break;
      end = body.length;
    }
    const line = body.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    lineCount += 1;
    if (!line.startsWith(metric)) continue;
    const rest = line.slice(metric.length);
    // Another metric whose name starts with this one (`…_total`).
    if (rest !== '' && rest[0] !== '{' && rest[0] !== ' ' && rest[0] !== '\t') continue;
    const sample = parseSample(rest);
    if (!sample) {
      malformed += 1;
      continue;
    }
    if (samples.length >= maxSamples) {
      truncated = true;
      break;
    }
    samples.push(sample);
  }
  return { samples, truncated, malformed };
}

/** `{a="1",b="x\"y"} 1 1700000000000` (what follows the metric name). */
function parseSample(rest: string): Sample | undefined {
  const labels: Record<string, string> = {};
  let index = 0;
  if (rest[index] === '{') {
    index += 1;
    for (;;) {
      while (rest[index] === ' ' || rest[index] === '\t') index += 1;
      if (rest[index] === '}') {
        index += 1;
        break;
      }
      const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(rest.slice(index, index + 256))?.[0];
      if (!name) return undefined;
      index += name.length;
      while (rest[index] === ' ' || rest[index] === '\t') index += 1;
      if (rest[index] !== '=') return undefined;
      index += 1;
      while (rest[index] === ' ' || rest[index] === '\t') index += 1;
      if (rest[index] !== '"') return undefined;
      index += 1;
      let value = '';
      for (;;) {
        const char = rest[index];
        if (char === undefined) return undefined;
        index += 1;
        if (char === '"') break;
        if (char === '\\') {
          const escaped = rest[index];
          index += 1;
          if (escaped === 'n') value += '\n';
          else if (escaped === '\\' || escaped === '"') value += escaped;
          else return undefined;
        } else {
          value += char;
        }
        if (value.length > MAX_LABEL_VALUE) return undefined;
      }
      labels[name] = value;
      while (rest[index] === ' ' || rest[index] === '\t') index += 1;
      if (rest[index] === ',') index += 1;
      else if (rest[index] !== '}') return undefined;
    }
  }
  const fields = rest.slice(index).trim().split(/[ \t]+/);
  if (fields.length < 1 || fields.length > 2 || fields[0] === '') return undefined;
  const value = parseValue(fields[0] ?? '');
  if (value === undefined) return undefined;
  if (fields[1] !== undefined && !/^-?\d+$/.test(fields[1])) return undefined;
  return { labels, value };
}

function parseValue(text: string): number | undefined {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}
