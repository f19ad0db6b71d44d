import type { LogRecord } from '../record.ts';

/**
 * A Kubernetes audit event (audit.k8s.io/v1 Event, one JSON object per line), e.g.
 * `{"kind":"Event","apiVersion":"audit.k8s.io/v1","verb":"get","user":{"username":"kubernetes-admin",…},
 *   "objectRef":{"resource":"secrets","namespace":"payments"},"responseStatus":{"code":200},
 *   "requestReceivedTimestamp":"2021-08-08T20:04:44.123456Z","stageTimestamp":"…"}`.
 */
export type AuditFields = Pick<LogRecord, 'verb' | 'user' | 'groups' | 'namespace' | 'resource' | 'name' | 'responseCode' | 'requestReceivedTimestamp' | 'stageTimestamp' | 'auditID' | 'time' | 'level' | 'audit'>;

/**
 * Parses into `fields` (the record itself on the hot path: no intermediate object per event) and returns
 * undefined, or the reason the line is not an audit event.
 */
export function parseAuditInto(line: string, fields: AuditFields): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return `audit line is not JSON: ${(error as Error).message}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'audit line is JSON but not an object';
  const event = parsed as Record<string, unknown>;
  const user = asObject(event.user);
  const objectRef = asObject(event.objectRef);
  const status = asObject(event.responseStatus);
  fields.audit = event;
  const verb = asString(event.verb);
  if (verb !== undefined) fields.verb = verb;
  const username = asString(user?.username);
  if (username !== undefined) fields.user = username;
  if (Array.isArray(user?.groups)) fields.groups = user.groups.filter((group): group is string => typeof group === 'string');
  const namespace = asString(objectRef?.namespace);
  if (namespace !== undefined) fields.namespace = namespace;
  const resource = asString(objectRef?.resource);
  if (resource !== undefined) fields.resource = resource;
  const name = asString(objectRef?.name);
  if (name !== undefined) fields.name = name;
  if (typeof status?.code === 'number') fields.responseCode = status.code;
  const received = asString(event.requestReceivedTimestamp) ?? asString(event.timestamp);
  if (received !== undefined) fields.requestReceivedTimestamp = received;
  const stage = asString(event.stageTimestamp);
  if (stage !== undefined) fields.stageTimestamp = stage;
  const time = stage ?? received;
  if (time !== undefined) fields.time = time;
  const auditID = asString(event.auditID);
  if (auditID !== undefined) fields.auditID = auditID;
  const level = asString(event.level);
  if (level !== undefined) fields.level = level;
  return undefined;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
