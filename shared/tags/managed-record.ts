import { MANAGED_RECORD_TAG } from './well-known-tags.ts';

/**
 * What eksops wrote on a resource, recorded on the resource itself in one tag, so that eksops removes only
 * the keys it wrote and never a user's. A tag rather than a table: it costs no extra call (it travels in the
 * same CreateTags as the keys it describes, and resources with identical tag sets stay grouped), it dies
 * with the resource, and the snapshot already holds it.
 *
 * A tag value holds at most 256 characters, so long well-known prefixes are abbreviated; keys that still do
 * not fit (or contain the separator) are left out of the record and reported: eksops will then never remove
 * them, which errs on the side of keeping tags.
 */
const MAX_VALUE = 256;
const SEPARATOR = ',';
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

// Thousands of instances of one group carry the same record: parse and encode each distinct one once.
const readCache = new Map<string, ReadonlySet<string>>();
const encodeCache = new Map<string, { value: string; unrecorded: string[] }>();
const CACHE_LIMIT = 10_000;

export function readManagedRecord(tags: Readonly<Record<string, string>>): ReadonlySet<string> {
  const value = tags[MANAGED_RECORD_TAG];
  if (!value) return new Set();
  let keys = readCache.get(value);
  if (!keys) {
    keys = new Set(value.split(SEPARATOR).filter((entry) => entry !== '').map(expand));
    if (readCache.size >= CACHE_LIMIT) readCache.clear();
    readCache.set(value, keys);
  }
  return keys;
}

/** The record's value for these keys (sorted, so equal sets give equal values), and the keys left out. */
export function encodeManagedRecord(keys: Iterable<string>): { value: string; unrecorded: string[] } {
  const sorted = [...keys].sort();
  const signature = sorted.join('\n');
  const cached = encodeCache.get(signature);
  if (cached) return { value: cached.value, unrecorded: [...cached.unrecorded] };
  const encoded = encode(sorted);
  if (encodeCache.size >= CACHE_LIMIT) encodeCache.clear();
  encodeCache.set(signature, encoded);
  return { value: encoded.value, unrecorded: [...encoded.unrecorded] };
}

function encode(sorted: readonly string[]): { value: string; unrecorded: string[] } {
  const entries: string[] = [];
  const unrecorded: string[] = [];
  let length = 0;
  for (const key of sorted) {
    const entry = abbreviate(key);
    const added = entry.length + (entries.length > 0 ? 1 : 0);
    // A key of its own starting with `~` would read back as an abbreviation.
    const ambiguous = entry === key && key.startsWith('~');
    if (key.includes(SEPARATOR) || ambiguous || length + added > MAX_VALUE) {
      unrecorded.push(key);
      continue;
    }
    entries.push(entry);
    length += added;
  }
  return { value: entries.join(SEPARATOR), unrecorded };
}
