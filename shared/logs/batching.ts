import type { BatchLimits, Entry } from './destinations/destination.ts';

/**
 * Splits entries into batches within a destination's limits, measured after serialization: no batch has
 * more than maxRecords entries or maxBytes bytes (a newline per entry counted). Entries over maxRecordBytes
 * can never be sent and are returned apart. Order is kept.
 */
export function toBatches(entries: readonly Entry[], limits: BatchLimits): { batches: Entry[][]; oversized: Entry[] } {
  const batches: Entry[][] = [];
  const oversized: Entry[] = [];
  let current: Entry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entry.bytes + 1;
    if (entry.bytes > limits.maxRecordBytes || size > limits.maxBytes) {
      oversized.push(entry);
      continue;
    }
    if (current.length > 0 && (current.length >= limits.maxRecords || bytes + size > limits.maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return { batches, oversized };
}

/** UTF-8 length of a serialized entry (native, and faster than any scan in JavaScript). */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text);
}
