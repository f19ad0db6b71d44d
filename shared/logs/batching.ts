import type { BatchLimits } from './destinations/destination.ts';

/**
 * Splits entries into batches within a destination's limits, measured after serialization: no batch has
 * more than maxRecords entries or maxBytes bytes (a newline per entry counted). Entries over maxRecordBytes
 * can never be sent and are returned apart. Order is kept.
 */
export function toBatches<T extends { readonly bytes: number }>(entries: readonly T[], limits: BatchLimits): { batches: T[][]; oversized: T[] } {
  const batches: T[][] = [];
  const oversized: T[] = [];
  let current: T[] = [];
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
