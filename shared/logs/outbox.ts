import type { Entry, LogDestination } from './destinations/destination.ts';
import type { ControlPlaneLogType } from './log-source.ts';
import { type LogRecord, serializeRecord } from './record.ts';

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

/** Whether an outbox's buffers are still its own; every entry of the outbox reads it before its bytes. */
class Lease {
  released = false;

  assertHeld(): void {
    if (this.released) throw new Error('the outbox was released: its entries are gone');
  }
}

/**
 * An entry whose body and record JSON are held as UTF-8 bytes in the outbox's buffers, outside the JavaScript
 * heap (the same bytes when the body is the JSON). `body` and `json` decode them again, for the destinations
 * that build their request as text and for the failure store.
 */
class BufferedEntry implements Entry {
  readonly id: string;
  readonly timestamp: number;
  readonly cluster: string;
  readonly logType: ControlPlaneLogType;
  readonly bytes: number;
  readonly #lease: Lease;
  readonly #chunk: Buffer;
  readonly #offset: number;
  readonly #jsonChunk: Buffer;
  readonly #jsonOffset: number;
  readonly #jsonBytes: number;

  constructor(record: LogRecord, lease: Lease, body: ByteArena, json: ByteArena) {
    this.id = record.id;
    this.timestamp = record.timestamp;
    this.cluster = record.cluster;
    this.logType = record.logType;
    this.#lease = lease;
    this.#chunk = body.lastChunk;
    this.#offset = body.lastOffset;
    this.bytes = body.lastBytes;
    this.#jsonChunk = json.lastChunk;
    this.#jsonOffset = json.lastOffset;
    this.#jsonBytes = json.lastBytes;
  }

  get body(): string {
    this.#lease.assertHeld();
    return this.#chunk.toString('utf8', this.#offset, this.#offset + this.bytes);
  }

  get json(): string {
    this.#lease.assertHeld();
    return this.#jsonChunk.toString('utf8', this.#jsonOffset, this.#jsonOffset + this.#jsonBytes);
  }

  copyTo(target: Buffer, offset: number): number {
    this.#lease.assertHeld();
    return this.#chunk.copy(target, offset, this.#offset, this.#offset + this.bytes);
  }
}

/**
 * Append-only UTF-8 storage, in buffers that are never moved once written. Where the last text went is read
 * from `lastChunk`, `lastOffset` and `lastBytes` (no object per append).
 */
class ByteArena {
  readonly #chunkBytes: number;
  readonly #chunks: Buffer[] = [];
  #chunk: Buffer = Buffer.alloc(0);
  #used = 0;
  lastChunk: Buffer = this.#chunk;
  lastOffset = 0;
  lastBytes = 0;

  constructor(chunkBytes: number) {
    this.#chunkBytes = chunkBytes;
  }

  append(text: string): void {
    const worstCase = text.length * MAX_BYTES_PER_UNIT;
    if (this.#chunk.length - this.#used < worstCase) {
      const size = Math.max(this.#chunkBytes, worstCase);
      this.#chunk = (size === CHUNK_BYTES ? spareChunks.pop() : undefined) ?? Buffer.allocUnsafe(size);
      this.#chunks.push(this.#chunk);
      this.#used = 0;
    }
    this.lastChunk = this.#chunk;
    this.lastOffset = this.#used;
    this.lastBytes = this.#chunk.write(text, this.#used);
    this.#used += this.lastBytes;
  }

  /** Gives the standard-size buffers back for the next outbox. */
  release(): void {
    for (const chunk of this.#chunks) if (chunk.length === CHUNK_BYTES && spareChunks.length < MAX_SPARE_CHUNKS) spareChunks.push(chunk);
    this.#chunks.length = 0;
    this.#chunk = Buffer.alloc(0);
    this.lastChunk = this.#chunk;
  }
}

/**
 * What an invocation is about to send, per destination, filled one record at a time as the pipeline makes
 * them. Each record is serialized once, as soon as it exists, and its JSON written into bytes; a destination
 * whose body is not that JSON (a bulk action pair, a HEC event) has its body written beside it. The outbox
 * keeps no record: a record, its parsed audit object and its JSON string are garbage as soon as they are
 * written. So the forwarder holds the payload, an entry per record and destination, and the outgoing bytes;
 * the garbage collector no longer copies every record's strings and objects from one scavenge to the next while
 * the rest of the payload is processed (about half its work; see the log bench).
 */
export class Outbox {
  readonly destinations: readonly LogDestination[];
  readonly #entries: Entry[][];
  readonly #bodies: ByteArena[];
  readonly #json: ByteArena;
  readonly #lease = new Lease();

  constructor(destinations: readonly LogDestination[], options: { chunkBytes?: number } = {}) {
    const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
    this.destinations = destinations;
    this.#entries = destinations.map(() => []);
    this.#bodies = destinations.map(() => new ByteArena(chunkBytes));
    this.#json = new ByteArena(chunkBytes);
  }

  /** Serializes the record (unless its JSON is given) for every destination that accepts it. */
  add(record: LogRecord, given?: string): void {
    this.#lease.assertHeld();
    let json: string | undefined;
    for (let index = 0; index < this.destinations.length; index++) {
      const destination = this.destinations[index] as LogDestination;
      if (!destination.accepts(record)) continue;
      if (json === undefined) {
        json = given ?? serializeRecord(record);
        this.#json.append(json);
      }
      const body = destination.serialize(record, json);
      let arena = this.#json;
      if (body !== json) {
        arena = this.#bodies[index] as ByteArena;
        arena.append(body);
      }
      (this.#entries[index] as Entry[]).push(new BufferedEntry(record, this.#lease, arena, this.#json));
    }
  }

  /**
   * Done with the entries (everything delivered or in the failure store): the buffers are kept for the next
   * outbox. Reading an entry after this throws rather than read another invocation's bytes.
   */
  release(): void {
    if (this.#lease.released) return;
    this.#lease.released = true;
    this.#json.release();
    for (const arena of this.#bodies) arena.release();
  }

  /** The entries of one destination, in the order the records were added. */
  entriesOf(destination: LogDestination): Entry[] {
    const index = this.destinations.indexOf(destination);
    return index < 0 ? [] : (this.#entries[index] as Entry[]);
  }
}
