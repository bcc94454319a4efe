/**
 * Paths between two latent codes: straight lines, or spherical interpolation (slerp), which
 * keeps intermediate codes at a norm typical of the prior instead of cutting through the
 * low-norm centre.
 */

export type InterpolationMethod = 'linear' | 'slerp';

/** `steps` ≥ 2 points from a to b inclusive. Slerp falls back to linear for (anti)parallel codes. */
export function interpolationPath(a: readonly number[], b: readonly number[], steps: number, method: InterpolationMethod): { t: number; code: number[] }[] {
  if (a.length !== b.length) throw new Error(`codes of different length (${a.length} and ${b.length})`);
  const norm = (v: readonly number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const na = norm(a);
  const nb = norm(b);
  const cos = na && nb ? Math.max(-1, Math.min(1, a.reduce((s, x, i) => s + x * b[i]!, 0) / (na * nb))) : 1;
  const omega = Math.acos(cos);
  const useSlerp = method === 'slerp' && Math.sin(omega) > 1e-6;
  return Array.from({ length: steps }, (_, i) => {
    const t = steps === 1 ? 0 : i / (steps - 1);
    const [wa, wb] = useSlerp ? [Math.sin((1 - t) * omega) / Math.sin(omega), Math.sin(t * omega) / Math.sin(omega)] : [1 - t, t];
    return { t, code: a.map((x, k) => wa * x + wb * b[k]!) };
  });
}
