import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import type { Checksum, SourceData } from '@smithy/types';

/** SHA-256 for SignatureV4 from node:crypto (HMAC when given a secret), without another dependency. */
export class NodeSha256 implements Checksum {
  readonly #secret: SourceData | undefined;
  #hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.#secret = secret;
    this.#hash = this.#fresh();
  }

  update(data: Uint8Array | string): void {
    this.#hash.update(data);
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }

  reset(): void {
    this.#hash = this.#fresh();
  }

  #fresh(): Hash | Hmac {
    if (this.#secret === undefined) return createHash('sha256');
    const key = typeof this.#secret === 'string' ? this.#secret : Buffer.from(this.#secret as Uint8Array);
    return createHmac('sha256', key);
  }
}
