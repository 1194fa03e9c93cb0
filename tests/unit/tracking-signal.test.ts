/** Tracking signals per family (src/core/tracking-signal.ts), figures by hand. */
import { describe, expect, it } from 'vitest';
import { trackingSignals } from '../../src/core/tracking-signal.js';

const months = ['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'];
const rows = (family: string, values: readonly number[]) =>
  months.map((period, i) => ({ family, period, value: values[i]! }));
const sold = (family: string, units: readonly number[]) =>
  months.map((period, i) => ({ family, period, units: units[i]! }));

describe('tracking signals', () => {
  it('flags a family whose forecast errs the same way month after month', () => {
    const forecasts = [
      ...rows('UNDER', [100, 100, 100, 100, 100, 100]),
      ...rows('MIXED', [100, 100, 100, 100, 100, 100]),
      ...rows('OVER', [130, 130, 130, 130, 130, 130]),
    ];
    const actuals = [
      // A − F: 10, 20, 10, 20, 10, 20: Σ 90, MAD 15, signal +6.
      ...sold('UNDER', [110, 120, 110, 120, 110, 120]),
      // ±10 in turn: Σ 0, signal 0.
      ...sold('MIXED', [110, 90, 110, 90, 110, 90]),
      // A − F: −30, −30, −30, −30, −30, −10: Σ −160, MAD 160/6, signal −6.
      ...sold('OVER', [100, 100, 100, 100, 100, 120]),
    ];
    const t = trackingSignals(forecasts, actuals);
    expect(t.judged).toBe(3);
    expect(t.months).toBe(6);
    expect(t.outside.map((x) => x.family)).toEqual(['OVER', 'UNDER']);
    expect(t.outside[0]?.signal).toBeCloseTo(-6, 12);
    expect(t.outside[1]?.signal).toBeCloseTo(6, 12);
  });

  it('does not judge a family with fewer than five months of actuals', () => {
    // Four months all under: the signal is +4 at most, never outside ±4; not judged.
    const t = trackingSignals(rows('NEW', [100, 100, 100, 100, 100, 100]), [
      ...sold('NEW', [120, 120, 120, 120, 0, 0]).slice(0, 4),
    ]);
    expect(t).toEqual({ outside: [], judged: 0, months: 4 });
  });
});
