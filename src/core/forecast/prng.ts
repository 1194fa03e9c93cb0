/** The forecasters' random source is the project's one PRNG (src/core/random.ts). */
export { mulberry32, normalSource, quantileSorted } from '../random.js';

export const Z80 = 1.2815515655446004;
export const Z95 = 1.959963984540054;
