// The dossier codes seen so far in a file, to find the same dossier twice. A million codes in a
// Map of strings would hold a hundred megabytes or more (and each code would keep alive the chunk
// of text it was cut from), so each code is kept as a 64-bit hash, beside a 32-bit hash of the
// row's data and its line, in one typed array: 16 bytes a slot, 32 MB at most for 1,000,000 rows.
// Two of a million different codes share a 64-bit hash with a chance of about 3 in 100 million;
// two different versions of one dossier share a data hash with a chance of 1 in 4 billion.

/** A 32-bit FNV-1a hash fed strings and numbers in turn: a row's data. */
export class DataHash {
  value = 0;

  start(seed: number): this {
    this.value = (0x811c9dc5 ^ seed) | 0;
    return this;
  }

  text(s: string): this {
    let h = this.value;
    const n = s.length;
    // Two UTF-16 units a step: half the multiplications.
    for (let i = 0; i < n; i += 2) h = Math.imul(h ^ (s.charCodeAt(i) | ((i + 1 < n ? s.charCodeAt(i + 1) : 0) << 16)), 0x01000193);
    // The length separates ("ab", "c") from ("a", "bc").
    this.value = Math.imul(h ^ n, 0x01000193);
    return this;
  }

  /** Any number: both halves of an instant in ms count. */
  number(n: number): this {
    const h = Math.imul(this.value ^ (n | 0), 0x01000193);
    this.value = Math.imul(h ^ ((n / 4294967296) | 0), 0x01000193);
    return this;
  }
}

/** A code's 64-bit fingerprint, as two 32-bit halves: FNV-1a and a multiply-shift hash. */
function fingerprint(code: string, out: Int32Array) {
  let a = 0x811c9dc5 | 0;
  let b = 0x050c5d1f;
  const n = code.length;
  for (let i = 0; i < n; i += 2) {
    const w = code.charCodeAt(i) | ((i + 1 < n ? code.charCodeAt(i + 1) : 0) << 16);
    a = Math.imul(a ^ w, 0x01000193);
    b = Math.imul(b + w, 0x5bd1e995) ^ (b >>> 15);
  }
  out[0] = Math.imul(a ^ n, 0x01000193);
  out[1] = Math.imul(b ^ n, 0x5bd1e995);
}

export type Sighting = { firstLine: number; sameData: boolean };

/** Per slot, side by side so that a look-up touches one cache line: code hash (2), data hash, line. */
const STRIDE = 4;

export class CodeIndex {
  private size = 0;
  private mask: number;
  /** The line is 0 in a free slot (line 1 is never a data row: it is the header at least). */
  private slots: Int32Array;
  private readonly key = new Int32Array(2);

  constructor(initialSlots = 1024) {
    const count = 2 ** Math.ceil(Math.log2(Math.max(16, initialSlots)));
    this.mask = count - 1;
    this.slots = new Int32Array(count * STRIDE);
  }

  get count(): number {
    return this.size;
  }

  /**
   * Records `code` at `line` with its data's hash; null the first time, otherwise the line where it
   * was first seen and whether the data was the same there.
   */
  see(code: string, data: number, line: number): Sighting | null {
    fingerprint(code, this.key);
    const ka = this.key[0];
    const kb = this.key[1];
    const slots = this.slots;
    let slot = (ka ^ (kb >>> 7)) & this.mask;
    for (;;) {
      const at = slot * STRIDE;
      const firstLine = slots[at + 3];
      if (firstLine === 0) break;
      if (slots[at] === ka && slots[at + 1] === kb) return { firstLine, sameData: slots[at + 2] === data };
      slot = (slot + 1) & this.mask;
    }
    const at = slot * STRIDE;
    slots[at] = ka;
    slots[at + 1] = kb;
    slots[at + 2] = data;
    slots[at + 3] = line;
    if (++this.size * 2 > this.mask + 1) this.grow();
    return null;
  }

  private grow() {
    const old = this.slots;
    const count = (this.mask + 1) * 2;
    this.mask = count - 1;
    this.slots = new Int32Array(count * STRIDE);
    for (let from = 0; from < old.length; from += STRIDE) {
      if (old[from + 3] === 0) continue;
      let slot = (old[from] ^ (old[from + 1] >>> 7)) & this.mask;
      while (this.slots[slot * STRIDE + 3] !== 0) slot = (slot + 1) & this.mask;
      for (let k = 0; k < STRIDE; k++) this.slots[slot * STRIDE + k] = old[from + k];
    }
  }
}
