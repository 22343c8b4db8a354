/** Interpolation between two latents: spherical (slerp, the default for Gaussian latents) or linear. */

/** The point at `t` in [0, 1] between `a` and `b`; slerp falls back to lerp for (anti)parallel vectors. */
export function interpolateLatent(a: Float32Array, b: Float32Array, t: number, method: 'slerp' | 'lerp'): Float32Array {
  const out = new Float32Array(a.length);
  let wa = 1 - t;
  let wb = t;
  if (method === 'slerp') {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let i = 0; i < a.length; i++) {
      dot += (a[i] as number) * (b[i] as number);
      na += (a[i] as number) ** 2;
      nb += (b[i] as number) ** 2;
    }
    const cos = dot / Math.sqrt(na * nb);
    const theta = Math.acos(Math.min(1, Math.max(-1, cos)));
    const sin = Math.sin(theta);
    if (sin > 1e-6) {
      // Shoemake's slerp on the unnormalised vectors, as GAN latent walks use it
      wa = Math.sin((1 - t) * theta) / sin;
      wb = Math.sin(t * theta) / sin;
    }
  }
  for (let i = 0; i < a.length; i++) out[i] = wa * (a[i] as number) + wb * (b[i] as number);
  return out;
}

/** Linear interpolation of label vectors. */
export function interpolateLabel(a: Float32Array, b: Float32Array, t: number): Float32Array {
  return a.map((v, i) => (1 - t) * v + t * (b[i] as number));
}
