/**
 * Seeds -> latents: the one documented generator, implemented identically in Python
 * (`training/tbgan/seeds.py`) and pinned by the test vectors in `test/fixtures/latent-vectors.json`.
 *
 * DESIGN NOTES
 * A seed is an identity: the same uint32 seed must give the same latent on every machine, in every
 * language, forever. So the generator is specified here bit for bit, using 32-bit integer arithmetic
 * only (no 64-bit multiplies, which JavaScript lacks), and the well-known published algorithms:
 * 1. State: four uint32 words from SplitMix32 (state += 0x9e3779b9; z = state;
 *    z = (z ^ z >>> 16) * 0x21f0aaad; z = (z ^ z >>> 15) * 0x735a2d97; z ^= z >>> 15), started at the seed.
 * 2. Stream: xoshiro128** (Blackman & Vigna 2018), one uint32 per step.
 * 3. Normals: Box-Muller on two consecutive words a, b, in float64:
 *    u1 = (a + 1) / 2^32 in (0, 1], u2 = b / 2^32, r = sqrt(-2 ln u1),
 *    values r cos(2 pi u2) then r sin(2 pi u2), each rounded to float32.
 * The i-th value of a latent of length L is the i-th value of this stream, so a shorter latent is a
 * prefix of a longer one. Face i of a request with seed s uses seed (s + i) mod 2^32.
 */

const TWO_POW_32 = 4294967296;

/** A stream of uint32 values from a 32-bit seed (SplitMix32 -> xoshiro128**). */
export function createUint32Stream(seed: number): () => number {
  let sm = seed >>> 0;
  const splitmix32 = (): number => {
    sm = (sm + 0x9e3779b9) >>> 0;
    let z = sm;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  return createXoshiro128ss([splitmix32(), splitmix32(), splitmix32(), splitmix32()]);
}

/** xoshiro128** from an explicit state of four uint32 words (Blackman & Vigna's reference algorithm). */
export function createXoshiro128ss(state: readonly [number, number, number, number]): () => number {
  let [s0, s1, s2, s3] = state;
  return () => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Fills `out` with standard normal values drawn from the stream (Box-Muller, float64 then float32). */
export function fillNormal(next: () => number, out: Float32Array | Float64Array): void {
  for (let i = 0; i < out.length; i += 2) {
    const u1 = (next() + 1) / TWO_POW_32;
    const u2 = next() / TWO_POW_32;
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    out[i] = r * Math.cos(theta);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(theta);
  }
}

/** The latent of one seed: `latentSize` standard normal float32 values. */
export function latentFromSeed(seed: number, latentSize: number): Float32Array {
  const out = new Float32Array(latentSize);
  fillNormal(createUint32Stream(seed), out);
  return out;
}

/** Latents for `count` faces from one request seed: face i uses seed (seed + i) mod 2^32. [count, L] row-major. */
export function latentsFromSeed(seed: number, count: number, latentSize: number): Float32Array {
  const out = new Float32Array(count * latentSize);
  for (let i = 0; i < count; i++) {
    out.set(latentFromSeed((seed + i) >>> 0, latentSize), i * latentSize);
  }
  return out;
}

/** Whether `n` is a valid seed: an integer in [0, 2^32). */
export function isSeed(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < TWO_POW_32;
}
