/**
 * logfmt, the format of aws-iam-authenticator:
 * `time="2021-08-08T20:04:44Z" level=warning msg="access denied" client="127.0.0.1:52856" method=POST`.
 * Values are bare words or double-quoted strings with backslash escapes; a key without `=` is a flag.
 */
export function parseLogfmt(line: string): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  let index = 0;
  const length = line.length;
  let count = 0;
  while (index < length) {
    while (index < length && line[index] === ' ') index++;
    if (index >= length) break;
    const keyStart = index;
    while (index < length && line[index] !== '=' && line[index] !== ' ') index++;
    const key = line.slice(keyStart, index);
    if (key === '' || key.includes('"')) return undefined;
    if (line[index] !== '=') {
      fields[key] = 'true';
      count++;
      continue;
    }
    index++;
    if (line[index] === '"') {
      index++;
      // Most values have no escapes: find the closing quote and slice; unescape only when needed.
      let end = line.indexOf('"', index);
      let escaped = false;
      while (end > 0 && line[end - 1] === '\\' && !evenBackslashesBefore(line, end)) {
        escaped = true;
        end = line.indexOf('"', end + 1);
      }
      if (end < 0) return undefined;
      const raw = line.slice(index, end);
      fields[key] = escaped || raw.includes('\\') ? unescape(raw) : raw;
      index = end + 1;
    } else {
      const space = line.indexOf(' ', index);
      const end = space < 0 ? length : space;
      fields[key] = line.slice(index, end);
      index = end;
    }
    count++;
  }
  return count > 0 && 'msg' in fields ? fields : count > 1 ? fields : undefined;
}

/** True when the quote at `at` is preceded by an even number of backslashes (so it is not escaped). */
function evenBackslashesBefore(line: string, at: number): boolean {
  let count = 0;
  for (let index = at - 1; index >= 0 && line[index] === '\\'; index--) count++;
  return count % 2 === 0;
}

function unescape(raw: string): string {
  return raw.replace(/\\(.)/g, (_match, char: string) => (char === 'n' ? '\n' : char === 't' ? '\t' : char));
}
