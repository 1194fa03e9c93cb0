/**
 * Worker-thread side of the baseline pool (src/services/baseline-pool.ts): fits each batch
 * of series it is sent with core `forecast` and answers with the results. Pure CPU.
 */
import { parentPort } from 'node:worker_threads';
import { type ForecastMethod, forecast } from '../core/forecast/index.js';

interface Batch {
  readonly id: number;
  readonly method: ForecastMethod;
  readonly series: readonly {
    readonly key: string;
    readonly y: readonly number[];
    readonly horizon: number;
  }[];
}

parentPort?.on('message', (batch: Batch) => {
  const results = batch.series.map((s) => {
    try {
      return { key: s.key, result: forecast(s.y, { horizon: s.horizon, method: batch.method }) };
    } catch (err) {
      return { key: s.key, error: err instanceof Error ? err.message : String(err) };
    }
  });
  parentPort?.postMessage({ id: batch.id, results });
});
parentPort?.postMessage({ ready: true });
