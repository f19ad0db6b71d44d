import type { Entry, LogDestination } from './destinations/destination.ts';
import { type LogRecord, releaseParsedAudit, serializeRecord } from './record.ts';

/** Bytes of each buffer the outbox writes into; a body larger than that gets a buffer of its own. */
const CHUNK_BYTES = 4 * 1024 * 1024;
/** Most UTF-8 bytes one UTF-16 code unit becomes. */
const MAX_BYTES_PER_UNIT = 3;
/**
 * Buffers of CHUNK_BYTES kept from one invocation to the next (a warm Lambda container runs them one at a
 * time): memory outside the heap that is allocated afresh every time makes V8 collect garbage for it.
 */
const MAX_SPARE_CHUNKS = 4;
const spareChunks: Buffer[] = [];

/**
 * An entry whose body is held as UTF-8 bytes in one of the outbox's buffers, outside the JavaScript heap.
 * `body` decodes it again, for the destinations that build their request as text.
 */
class BufferedEntry implements Entry {
  readonly record: LogRecord;
  readonly bytes: number;
  readonly #arena: ByteArena;
  readonly #chunk: Buffer;
  readonly #offset: number;

  constructor(record: LogRecord, arena: ByteArena, chunk: Buffer, offset: number, bytes: number) {
    this.record = record;
    this.#arena = arena;
    this.#chunk = chunk;
    this.#offset = offset;
    this.bytes = bytes;
  }

  get body(): string {
    this.#arena.assertHeld();
    return this.#chunk.toString('utf8', this.#offset, this.#offset + this.bytes);
  }

  copyTo(target: Buffer, offset: number): number {
    this.#arena.assertHeld();
    return this.#chunk.copy(target, offset, this.#offset, this.#offset + this.bytes);
  }
}

/** Append-only UTF-8 storage for one destination's bodies, in buffers that are never moved once written. */
class ByteArena {
  readonly #chunkBytes: number;
  readonly #chunks: Buffer[] = [];
  #chunk: Buffer = Buffer.alloc(0);
  #used = 0;
  #released = false;

  constructor(chunkBytes: number) {
    this.#chunkBytes = chunkBytes;
  }

  append(record: LogRecord, body: string): BufferedEntry {
    this.assertHeld();
    const worstCase = body.length * MAX_BYTES_PER_UNIT;
    if (this.#chunk.length - this.#used < worstCase) {
      const size = Math.max(this.#chunkBytes, worstCase);
      this.#chunk = (size === CHUNK_BYTES ? spareChunks.pop() : undefined) ?? Buffer.allocUnsafe(size);
      this.#chunks.push(this.#chunk);
      this.#used = 0;
    }
    const offset = this.#used;
    const bytes = this.#chunk.write(body, offset);
    this.#used += bytes;
    return new BufferedEntry(record, this, this.#chunk, offset, bytes);
  }

  /** Gives the standard-size buffers back for the next invocation; the entries can no longer be read. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    for (const chunk of this.#chunks) if (chunk.length === CHUNK_BYTES && spareChunks.length < MAX_SPARE_CHUNKS) spareChunks.push(chunk);
    this.#chunks.length = 0;
  }

  assertHeld(): void {
    if (this.#released) throw new Error('the outbox was released: its entries are gone');
  }
}

/**
 * What an invocation is about to send, per destination, filled one record at a time as the pipeline makes
 * them. Each record is serialized once, as soon as it exists; each destination that accepts it writes its
 * body straight into bytes, and the parsed audit object is let go. So the forwarder holds the payload, the
 * small records and the outgoing bytes, not every record's strings and objects, which the garbage collector
 * copied from one scavenge to the next while the rest of the payload was processed (half the bytes it promoted;
 * see the log bench).
 */
export class Outbox {
  readonly destinations: readonly LogDestination[];
  readonly #entries: Entry[][];
  readonly #arenas: ByteArena[];

  constructor(destinations: readonly LogDestination[], options: { chunkBytes?: number } = {}) {
    this.destinations = destinations;
    this.#entries = destinations.map(() => []);
    this.#arenas = destinations.map(() => new ByteArena(options.chunkBytes ?? CHUNK_BYTES));
  }

  /** Serializes the record for every destination that accepts it. */
  add(record: LogRecord): void {
    let json: string | undefined;
    for (let index = 0; index < this.destinations.length; index++) {
      const destination = this.destinations[index] as LogDestination;
      if (!destination.accepts(record)) continue;
      json ??= serializeRecord(record);
      (this.#entries[index] as Entry[]).push((this.#arenas[index] as ByteArena).append(record, destination.serialize(record, json)));
    }
    releaseParsedAudit(record);
  }

  /**
   * Done with the entries (everything delivered or in the failure store): the buffers are kept for the next
   * outbox. Reading an entry after this throws rather than read another invocation's bytes.
   */
  release(): void {
    for (const arena of this.#arenas) arena.release();
  }

  /** The entries of one destination, in the order the records were added. */
  entriesOf(destination: LogDestination): Entry[] {
    const index = this.destinations.indexOf(destination);
    return index < 0 ? [] : (this.#entries[index] as Entry[]);
  }
}
