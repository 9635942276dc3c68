const TWO_POW_32 = 4294967296;

/**
 * A fast non-cryptographic 53-bit hash of a string's UTF-16 code units, as a safe integer.
 * Two independent 32-bit lanes (different multipliers, one rotated) are each run to the end,
 * then cross-mixed through a murmur3-style finalizer so every input bit reaches every output
 * bit — HyperLogLog reads both the low bits (register index) and the high bits (rank).
 */
export function hash53(text: string, seed = 0): number {
  let a = 0x243f6a88 ^ seed;
  let b = 0x13198a2e ^ Math.imul(seed, 0x9e3779b1) ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b + c, 0x5bd1e995);
    b = (b << 15) | (b >>> 17);
  }
  a = finalize(a ^ Math.imul(b, 0x27d4eb2f));
  b = finalize(b ^ a);
  return (b >>> 11) * TWO_POW_32 + (a >>> 0);
}

function finalize(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
