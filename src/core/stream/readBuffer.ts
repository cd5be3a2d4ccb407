/**
 * The bytes of a response's reads, copied into one growing buffer as they arrive. Keeping each read's own Buffer
 * instead would keep thousands of small objects alive per stream until it is decoded: they survive the young
 * generation and make old-generation GC pauses, which land on other streams' read timestamps.
 */
export class ReadBuffer {
  private buf: Buffer;
  private length = 0;
  private readonly ends: number[] = [];

  constructor(initialBytes = 16 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  append(chunk: Buffer): void {
    const need = this.length + chunk.length;
    if (need > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(grown, 0, 0, this.length);
      this.buf = grown;
    }
    chunk.copy(this.buf, this.length);
    this.length = need;
    this.ends.push(need);
  }

  /** Each read's bytes, in order (views into the one buffer, no copies). */
  reads(): Buffer[] {
    const out: Buffer[] = new Array(this.ends.length);
    let start = 0;
    for (let i = 0; i < this.ends.length; i++) {
      out[i] = this.buf.subarray(start, this.ends[i]);
      start = this.ends[i];
    }
    return out;
  }
}
