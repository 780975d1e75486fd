/**
 * BENCH_SCALE (default 1) multiplies every scenario's dataset: CI runs the whole bench at 0.01 to
 * keep its code working; the figures the issues name are at 1.
 */
export const SCALE = Number(process.env.BENCH_SCALE ?? 1);
if (!(SCALE > 0 && SCALE <= 1)) throw new Error(`BENCH_SCALE must be in (0, 1], not ${process.env.BENCH_SCALE}`);

/** `n` at the run's scale, at least `min`. */
export const scaled = (n: number, min = 1000) => Math.max(min, Math.round(n * SCALE));
