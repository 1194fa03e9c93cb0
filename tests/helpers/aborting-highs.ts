/**
 * The real HiGHS runtime, whose models throw what an abort inside the WASM throws
 * (WebAssembly.RuntimeError) from their second `run()` on: the plan's own solve is a model's
 * first run, so the first "one more" step solved again aborts. For createHighsSolver's `load`.
 */
import type { Highs } from 'highs';
import highsModule from 'highs';

const loadHighs =
  (highsModule as unknown as { default?: () => Promise<Highs> }).default ??
  (highsModule as unknown as () => Promise<Highs>);

export async function abortingHighs(): Promise<Highs> {
  const real = await loadHighs();
  return new Proxy(real, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (prop !== 'createModel') return typeof v === 'function' ? v.bind(target) : v;
      return (...args: unknown[]) => {
        const model = (v as (...a: unknown[]) => object).apply(target, args);
        let runs = 0;
        return new Proxy(model, {
          get(m, key) {
            const f = Reflect.get(m, key, m);
            if (key !== 'run') return typeof f === 'function' ? f.bind(m) : f;
            return () => {
              runs += 1;
              if (runs >= 2)
                throw new (
                  globalThis as unknown as { WebAssembly: { RuntimeError: ErrorConstructor } }
                ).WebAssembly.RuntimeError('Aborted(). Build with -sASSERTIONS for more info.');
              return (f as () => unknown).call(m);
            };
          },
        });
      };
    },
  });
}
