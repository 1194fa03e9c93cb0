/** The sample company draws from the project's one seeded PRNG (src/core/random.ts). */
export { createRng, type Rng } from '../core/random.js';
