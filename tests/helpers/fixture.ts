/** What a test file (or describe block) sets up once and tears down after its tests. */
import { afterAll, beforeAll } from 'vitest';

/**
 * `start` runs before the block's tests (in the order the fixtures and hooks are declared)
 * and `stop` after them (in reverse order, after the hooks declared later). The object
 * returned stands for what `start` made: read it only inside hooks and tests.
 */
export function useFixture<T extends object>(
  start: () => Promise<T>,
  stop: (made: T) => Promise<void>,
): T {
  let made: T | undefined;
  beforeAll(async () => {
    made = await start();
  });
  afterAll(async () => {
    if (made) await stop(made);
  });
  return new Proxy({} as T, {
    get(_, key) {
      if (!made) throw new Error(`fixture read before it was set up (.${String(key)})`);
      const value: unknown = Reflect.get(made, key);
      return typeof value === 'function' ? value.bind(made) : value;
    },
  });
}
