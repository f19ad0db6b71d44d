import { createHmac, timingSafeEqual } from 'node:crypto';
import { MANAGED_RECORD_TAG } from './well-known-tags.ts';

/**
 * What eksops wrote on a resource, recorded on the resource itself in one tag, so that eksops removes only
 * the keys it wrote and never a user's. A tag rather than a table: it costs no extra call (it travels in the
 * same CreateTags as the keys it describes, and resources with identical tag sets stay grouped), it dies
 * with the resource, and the snapshot already holds it.
 *
 * The value is `<entries>;h=<hash>`: the recorded keys, then 8 hex digits of a hash of those keys' values as
 * they are after eksops's write (it travels in the same call). A "Tag Change on Resource" event carries the
 * resource's tags after the change, so it can tell a value edited by hand (the hash no longer matches) from
 * eksops's own write (it does). A record without the suffix (the earlier format) reads as keys only.
 *
 * Unforgeable: anyone with ec2:CreateTags could otherwise write `eksops:managed=owner,backup-policy` and have
 * eksops's role delete those keys. So a signed record ends in `;m=<16 hex>`, an HMAC-SHA256 (keyed by the
 * stack's secret, `EKSOPS_TAG_RECORD_KEY_SECRET`) over the record's scope, its entries and its hash. The scope
 * is what a user cannot write: the cluster, the resource kind (`auto-scaling-group`, or `ec2` for instances,
 * volumes and ENIs alike, so an instance and its attachments still share one CreateTags) and the resource's group as AWS gives it (the
 * ASG's name; for instances, volumes and ENIs the `aws:autoscaling:groupName` of the instance, an `aws:` tag
 * users cannot write). Not the resource id: identical records across a group stay identical, so one
 * CreateTags still covers up to 1,000 resources. A record whose MAC does not verify (forged, the earlier
 * unsigned format, another cluster, group or kind) is no record: eksops deletes nothing on its strength and
 * reports it. Residual: a genuine record copied from one resource to another of the same group and kind
 * (an instance, volume or ENI of the same ASG) verifies; it can only name keys eksops manages on that group, which eksops would write there anyway.
 *
 * A tag value holds at most 256 characters, so long well-known prefixes are abbreviated; keys that still do
 * not fit (or contain a separator) are left out of the record and reported: eksops will then never remove
 * them, which errs on the side of keeping tags.
 */
const MAX_VALUE = 256;
const SEPARATOR = ',';
const HASH_SEPARATOR = ';h=';
const MAC_SEPARATOR = ';m=';
const MAC_HEX = 16;
const HASH_SUFFIX = /;h=([0-9a-f]{8})(?:;m=([0-9a-f]{16}))?$/;
/** Room the entries may take: the whole value, less `;h=`, the 8 hex digits, `;m=` and the MAC. */
const MAX_ENTRIES = MAX_VALUE - HASH_SEPARATOR.length - 8 - MAC_SEPARATOR.length - MAC_HEX;

/** What a record is bound to: nothing here can be written by a user holding only CreateTags. */
export interface RecordScope {
  cluster: string;
  kind: string;
  /** The resource's group as AWS reports it (the ASG name); '' when it has none. */
  group: string;
}

/** The secret key and the scope a record is signed for and verified against. */
export interface RecordSigning {
  key: string;
  scope: RecordScope;
}

function macOf(signing: RecordSigning, unsigned: string): string {
  const { cluster, kind, group } = signing.scope;
  return createHmac('sha256', signing.key).update(['eksops:managed/v1', cluster, kind, group, unsigned].join('\n')).digest('hex').slice(0, MAC_HEX);
}
const ABBREVIATIONS: readonly [string, string][] = [
  ['k8s.io/cluster-autoscaler/node-template/label/', '~l/'],
  ['k8s.io/cluster-autoscaler/node-template/taint/', '~t/'],
  ['k8s.io/cluster-autoscaler/node-template/resources/', '~r/'],
  ['k8s.io/cluster-autoscaler/', '~a/'],
  ['kubernetes.io/cluster/', '~c/'],
];

function abbreviate(key: string): string {
  for (const [long, short] of ABBREVIATIONS) if (key.startsWith(long)) return short + key.slice(long.length);
  return key;
}

function expand(entry: string): string {
  for (const [long, short] of ABBREVIATIONS) if (entry.startsWith(short)) return long + entry.slice(short.length);
  return entry;
}

// Thousands of instances of one group carry the same record: parse and encode each distinct one once. The
// encode cache is keyed by the keys *and* their values, since the hash depends on both.
const readCache = new Map<string, ParsedRecord>();
const encodeCache = new Map<string, { value: string; unrecorded: string[] }>();
const verifyCache = new Map<string, boolean>();
const CACHE_LIMIT = 10_000;

export interface ParsedRecord {
  readonly keys: ReadonlySet<string>;
  /** The hash of the recorded keys' values after eksops's last write; undefined for an earlier-format record. */
  readonly hash?: string;
  readonly mac?: string;
  /** The value without `;m=…`: what the MAC covers. */
  readonly unsigned?: string;
}

/**
 * The record as verified for this scope: its keys when its MAC verifies; otherwise no keys and
 * `unverified: true` (present but forged, unsigned, or signed for another scope).
 */
export function verifiedManagedRecord(tags: Readonly<Record<string, string>>, signing: RecordSigning): { keys: ReadonlySet<string>; unverified: boolean } {
  if (!tags[MANAGED_RECORD_TAG]) return { keys: new Set(), unverified: false };
  const parsed = parseManagedRecord(tags);
  if (parsed.mac === undefined || parsed.unsigned === undefined) return { keys: new Set(), unverified: true };
  // Every resource of a group carries the same record: verify each distinct (key, scope, record) once.
  const { cluster, kind, group } = signing.scope;
  const cacheKey = `${signing.key}\u0001${cluster}\u0001${kind}\u0001${group}\u0001${tags[MANAGED_RECORD_TAG]}`;
  let verified = verifyCache.get(cacheKey);
  if (verified === undefined) {
    const expected = Buffer.from(macOf(signing, parsed.unsigned));
    const actual = Buffer.from(parsed.mac);
    verified = expected.length === actual.length && timingSafeEqual(expected, actual);
    if (verifyCache.size >= CACHE_LIMIT) verifyCache.clear();
    verifyCache.set(cacheKey, verified);
  }
  return verified ? { keys: parsed.keys, unverified: false } : { keys: new Set(), unverified: true };
}

export function readManagedRecord(tags: Readonly<Record<string, string>>): ReadonlySet<string> {
  return parseManagedRecord(tags).keys;
}

export function parseManagedRecord(tags: Readonly<Record<string, string>>): ParsedRecord {
  const value = tags[MANAGED_RECORD_TAG];
  if (!value) return { keys: new Set() };
  let parsed = readCache.get(value);
  if (!parsed) {
    const match = HASH_SUFFIX.exec(value);
    const entries = match ? value.slice(0, match.index) : value;
    const keys = new Set(entries.split(SEPARATOR).filter((entry) => entry !== '').map(expand));
    const unsigned = match?.[2] ? value.slice(0, value.length - MAC_SEPARATOR.length - MAC_HEX) : undefined;
    parsed = match?.[1] ? { keys, hash: match[1], ...(match[2] && unsigned ? { mac: match[2], unsigned } : {}) } : { keys };
    if (readCache.size >= CACHE_LIMIT) readCache.clear();
    readCache.set(value, parsed);
  }
  return parsed;
}

/**
 * 8 hex digits of a stable hash (32-bit FNV-1a over UTF-16 code units) of the sorted `key=value` lines of
 * these keys; a key absent from `tags` contributes no line. Not cryptographic: it only has to notice edits.
 */
export function hashManagedValues(keys: Iterable<string>, tags: Readonly<Record<string, string>>): string {
  const lines = [...keys].filter((key) => tags[key] !== undefined).sort().map((key) => `${key}=${tags[key] ?? ''}`);
  const text = lines.join('\n');
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The record's value for these managed keys and their values after the write (sorted, so equal maps give
 * equal values), and the keys left out. The hash covers the recorded keys only.
 */
export function encodeManagedRecord(values: Readonly<Record<string, string>>, signing?: RecordSigning): { value: string; unrecorded: string[] } {
  const sorted = Object.keys(values).sort();
  const scope = signing ? `${signing.key}\u0001${signing.scope.cluster}\u0001${signing.scope.kind}\u0001${signing.scope.group}\u0002` : '';
  const signature = scope + sorted.map((key) => `${key}\u0000${values[key] ?? ''}`).join('\n');
  const cached = encodeCache.get(signature);
  if (cached) return { value: cached.value, unrecorded: [...cached.unrecorded] };
  const unsignedRecord = encode(sorted, values);
  const encoded = signing ? { value: `${unsignedRecord.value}${MAC_SEPARATOR}${macOf(signing, unsignedRecord.value)}`, unrecorded: unsignedRecord.unrecorded } : unsignedRecord;
  if (encodeCache.size >= CACHE_LIMIT) encodeCache.clear();
  encodeCache.set(signature, encoded);
  return { value: encoded.value, unrecorded: [...encoded.unrecorded] };
}

function encode(sorted: readonly string[], values: Readonly<Record<string, string>>): { value: string; unrecorded: string[] } {
  const entries: string[] = [];
  const recorded: string[] = [];
  const unrecorded: string[] = [];
  let length = 0;
  for (const key of sorted) {
    const entry = abbreviate(key);
    const added = entry.length + (entries.length > 0 ? 1 : 0);
    // A key of its own starting with `~` would read back as an abbreviation; one containing `;` could read
    // back as the hash suffix.
    const ambiguous = (entry === key && key.startsWith('~')) || key.includes(';');
    if (key.includes(SEPARATOR) || ambiguous || length + added > MAX_ENTRIES) {
      unrecorded.push(key);
      continue;
    }
    entries.push(entry);
    recorded.push(key);
    length += added;
  }
  return { value: `${entries.join(SEPARATOR)}${HASH_SEPARATOR}${hashManagedValues(recorded, values)}`, unrecorded };
}
