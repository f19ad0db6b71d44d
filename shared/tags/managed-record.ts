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
 * A tag value holds at most 256 characters, so long well-known prefixes are abbreviated; keys that still do
 * not fit (or contain a separator) are left out of the record and reported: eksops will then never remove
 * them, which errs on the side of keeping tags.
 */
const MAX_VALUE = 256;
const SEPARATOR = ',';
const HASH_SEPARATOR = ';h=';
const HASH_SUFFIX = /;h=([0-9a-f]{8})$/;
/** Room the entries may take: the whole value, less `;h=` and the 8 hex digits. */
const MAX_ENTRIES = MAX_VALUE - HASH_SEPARATOR.length - 8;
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
const CACHE_LIMIT = 10_000;

export interface ParsedRecord {
  readonly keys: ReadonlySet<string>;
  /** The hash of the recorded keys' values after eksops's last write; undefined for an earlier-format record. */
  readonly hash?: string;
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
    parsed = match?.[1] ? { keys, hash: match[1] } : { keys };
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
export function encodeManagedRecord(values: Readonly<Record<string, string>>): { value: string; unrecorded: string[] } {
  const sorted = Object.keys(values).sort();
  const signature = sorted.map((key) => `${key}\u0000${values[key] ?? ''}`).join('\n');
  const cached = encodeCache.get(signature);
  if (cached) return { value: cached.value, unrecorded: [...cached.unrecorded] };
  const encoded = encode(sorted, values);
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
