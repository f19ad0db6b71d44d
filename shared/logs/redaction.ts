import { auditLineOf, keepAuditLine, type LogRecord } from './record.ts';

export const REDACTED = '[REDACTED]';

export interface RedactionSettings {
  enabled: boolean;
  /** Extra regular expressions (matched case-insensitively) whose matches become [REDACTED]. */
  patterns: readonly string[];
}

/**
 * `raw`, when given, is the line the record's `message` and `fields` were cut from: when the session-token
 * rule finds nothing in it (and it has no backslash, so no value was unescaped), no slice of it can hold a
 * token, and the per-field checks are skipped.
 */
export type Redactor = (record: LogRecord, raw?: string) => void;

/**
 * Built-in rules, each for a secret the control plane is known to write into its logs:
 * - `secret-data`: a Secret's `data`/`stringData` in audit request/response objects (RequestResponse level),
 *   and its last-applied-configuration annotation, which repeats the data;
 * - `access-key-id`: `user.extra.accessKeyId`, which aws-iam-authenticator adds to every audit event;
 * - `bearer-token`: TokenReview `spec.token` and TokenRequest `status.token` (service-account tokens);
 * - `session-token`: EKS bearer tokens (`k8s-aws-v1.…`, a presigned STS URL) and `X-Amz-Security-Token`
 *   values anywhere in a message or request URI.
 */
const SESSION_TOKEN = /k8s-aws-v1\.[A-Za-z0-9_-]+|(X-Amz-Security-Token=)[^&\s"]+/gi;
const ACCESS_KEY_FIELD = 'accesskeyid';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Redaction in place, on records this invocation owns. Off: records pass unchanged. */
export function createRedactor(settings: RedactionSettings): Redactor {
  if (!settings.enabled) return () => undefined;
  const custom = settings.patterns.length > 0 ? new RegExp(settings.patterns.map((source) => `(?:${source})`).join('|'), 'gi') : undefined;
  // One set reused for every record: this runs per event, and most records need no redaction.
  const applied = new Set<string>();
  return (record, raw) => {
    // Set.prototype.clear allocates a new table: only when there is something to clear.
    if (applied.size > 0) applied.clear();
    if (record.audit) keepAuditLine(record, redactAudit(record.audit, auditLineOf(record), applied));
    // The session-token pattern has no anchor nor lookaround: a match in a slice of `raw` is a match in `raw`,
    // so one test of the line stands for one per logfmt field. (Configured patterns may have anchors: they
    // are always tested value by value.)
    if (record.fields === undefined || raw === undefined || raw.includes('\\') || matches(SESSION_TOKEN, raw)) {
      if (record.message !== undefined) record.message = redactText(record.message, 'session-token', SESSION_TOKEN, applied);
      if (record.fields) redactValues(record.fields, 'session-token', SESSION_TOKEN, applied);
    }
    // aws-iam-authenticator's `accesskeyid=…`: the same rule as the audit events' `user.extra.accessKeyId`.
    if (record.fields !== undefined && Object.hasOwn(record.fields, ACCESS_KEY_FIELD)) {
      record.fields[ACCESS_KEY_FIELD] = REDACTED;
      applied.add('access-key-id');
    }
    if (custom) {
      if (record.message !== undefined) record.message = redactText(record.message, 'pattern', custom, applied);
      if (record.fields) redactValues(record.fields, 'pattern', custom, applied);
      if (record.audit && redactStrings(record.audit, custom, applied)) keepAuditLine(record, undefined);
    }
    if (applied.size > 0) record.redacted = [...applied].sort();
  };
}

/**
 * Redacts an audit object in place. Returns its line redacted the same way (the access key id, on nearly
 * every event of an IAM principal, is replaced in the text), or undefined once the object changed in a way
 * the text was not (a Secret, a token: the record is then serialized from the object).
 */
function redactAudit(audit: Record<string, unknown>, line: string | undefined, applied: Set<string>): string | undefined {
  let text = line;
  const extra = asObject(asObject(audit.user)?.extra);
  if (extra && 'accessKeyId' in extra) {
    if (text !== undefined) text = redactAccessKeyIdInLine(text, extra.accessKeyId);
    extra.accessKeyId = [REDACTED];
    applied.add('access-key-id');
  }
  if (typeof audit.requestURI === 'string') {
    const uri = redactText(audit.requestURI, 'session-token', SESSION_TOKEN, applied);
    if (uri !== audit.requestURI) {
      audit.requestURI = uri;
      text = undefined;
    }
  }
  for (const key of ['requestObject', 'responseObject'] as const) {
    const object = asObject(audit[key]);
    if (!object) continue;
    let changed = redactSecretObject(object, applied);
    // Items of a SecretList may leave out their kind; items of any other list (a ConfigMapList) are
    // redacted only when they say they are Secrets.
    const inSecretList = object.kind === 'SecretList';
    for (const item of Array.isArray(object.items) ? object.items : []) {
      const secret = asObject(item);
      if (secret && redactSecretObject(secret, applied, inSecretList)) changed = true;
    }
    const kind = object.kind;
    if (kind === 'TokenReview' && redactField(asObject(object.spec), 'token', 'bearer-token', applied)) changed = true;
    if (kind === 'TokenRequest' && redactField(asObject(object.status), 'token', 'bearer-token', applied)) changed = true;
    if (changed) text = undefined;
  }
  return text;
}

const ACCESS_KEY_ID = '"accessKeyId"';
const REDACTED_LIST = JSON.stringify([REDACTED]);
/** A \u escape (JSON's is lower case) of a character from U+0040 to U+007F, letters included. Go's encoder never writes one. */
const ESCAPED_ASCII_LETTER = /\\u00[4-7][0-9A-Fa-f]/;

/**
 * The line with `user.extra.accessKeyId` replaced as the object's is, or undefined when that cannot be done
 * exactly. The parsed object has the key, so the line writes it: as `"accessKeyId"`, or with an escaped
 * letter (then this gives up). With no escaped letter in the line, `"accessKeyId"` found once is that key
 * (JSON escapes every quote inside a string, so the text cannot be part of another string), and when the
 * text after the key and its colon is the value's JSON, that is the value's whole extent. Anything else (the
 * key written twice, the value written another way) is left to the object.
 */
function redactAccessKeyIdInLine(line: string, value: unknown): string | undefined {
  const at = line.indexOf(ACCESS_KEY_ID);
  if (at < 0 || line.includes(ACCESS_KEY_ID, at + ACCESS_KEY_ID.length) || ESCAPED_ASCII_LETTER.test(line)) return undefined;
  let start = skipWhitespace(line, at + ACCESS_KEY_ID.length);
  if (line.charCodeAt(start) !== 0x3a) return undefined;
  start = skipWhitespace(line, start + 1);
  const written = JSON.stringify(value);
  if (written === undefined || !line.startsWith(written, start)) return undefined;
  return `${line.slice(0, start)}${REDACTED_LIST}${line.slice(start + written.length)}`;
}

/** JSON's whitespace: space, tab, line feed, carriage return. */
function skipWhitespace(text: string, from: number): number {
  let index = from;
  for (;;) {
    const code = text.charCodeAt(index);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return index;
    index++;
  }
}

/** Whether anything was redacted. */
function redactSecretObject(object: Record<string, unknown>, applied: Set<string>, inList = false): boolean {
  if (object.kind !== 'Secret' && !(inList && ('data' in object || 'stringData' in object))) return false;
  let changed = false;
  for (const field of ['data', 'stringData']) {
    const values = asObject(object[field]);
    if (!values) continue;
    for (const key of Object.keys(values)) values[key] = REDACTED;
    applied.add('secret-data');
    changed = true;
  }
  const annotations = asObject(asObject(object.metadata)?.annotations);
  if (annotations && LAST_APPLIED in annotations) {
    annotations[LAST_APPLIED] = REDACTED;
    applied.add('secret-data');
    changed = true;
  }
  return changed;
}

function redactField(object: Record<string, unknown> | undefined, field: string, rule: string, applied: Set<string>): boolean {
  if (!object || typeof object[field] !== 'string') return false;
  object[field] = REDACTED;
  applied.add(rule);
  return true;
}

function matches(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(text);
}

/** Redacts the values of a flat string map in place (no entries array per record). */
function redactValues(values: Record<string, string>, rule: string, pattern: RegExp, applied: Set<string>): void {
  for (const key in values) {
    if (!Object.hasOwn(values, key)) continue;
    const value = values[key] as string;
    const redacted = redactText(value, rule, pattern, applied);
    if (redacted !== value) values[key] = redacted;
  }
}

function redactText(text: string, rule: string, pattern: RegExp, applied: Set<string>): string {
  if (!matches(pattern, text)) return text;
  applied.add(rule);
  pattern.lastIndex = 0;
  // The session-token rule keeps the `X-Amz-Security-Token=` key (its first group) so a reader sees what
  // was there; configured patterns may have groups of their own, so their whole match is replaced.
  if (pattern !== SESSION_TOKEN) return text.replace(pattern, REDACTED);
  return text.replace(pattern, (_match, key: string | undefined) => `${key ?? ''}${REDACTED}`);
}

/**
 * Whether any string was redacted. An explicit stack, not recursion: an audit line can nest thousands of
 * levels deep (JSON.parse accepts it), and one such line must not overflow the call stack.
 */
function redactStrings(root: Record<string, unknown> | unknown[], pattern: RegExp, applied: Set<string>): boolean {
  let changed = false;
  const stack: (Record<string, unknown> | unknown[])[] = [root];
  while (stack.length > 0) {
    // An array's indices and an object's own keys alike: one loop for both containers.
    const value = stack.pop() as Record<string | number, unknown>;
    const keys: Iterable<string | number> = Array.isArray(value) ? value.keys() : Object.keys(value);
    for (const key of keys) {
      const item = value[key];
      if (typeof item === 'string') {
        const redacted = redactText(item, 'pattern', pattern, applied);
        if (redacted !== item) {
          value[key] = redacted;
          changed = true;
        }
      } else if (typeof item === 'object' && item !== null) stack.push(item as Record<string, unknown>);
    }
  }
  return changed;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
