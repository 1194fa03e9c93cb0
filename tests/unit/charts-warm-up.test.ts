import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHART_KINDS } from '../../jobs/contracts.js';
import { SAMPLE_CHARTS, warmUpCharts } from '../../src/charts/warm-up.js';
import { loadConfig } from '../../src/config.js';

describe('chart renderer warm-up', () => {
  it('draws a sample of every chart kind the jobs post', () => {
    expect(Object.keys(SAMPLE_CHARTS).sort()).toEqual(
      ['accuracy', 'cash', 'family', 'gap', 'scenarios'].sort(),
    );
    expect(Object.keys(SAMPLE_CHARTS).sort()).toEqual([...CHART_KINDS].sort());
  });

  it('renders every sample chart once per round', async () => {
    // Five chart kinds, two rounds.
    expect(await warmUpCharts(2).done).toEqual({ renders: 10 });
  });

  it('stops between renders when asked, leaving the event loop free meanwhile', async () => {
    const warm = warmUpCharts(50);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    warm.stop();
    const { renders } = await warm.done;
    clearInterval(timer);
    expect(renders).toBeGreaterThan(0);
    expect(renders).toBeLessThan(200);
    expect(ticks).toBeGreaterThan(renders); // timers ran between the renders
  });

  it('reports a failure instead of throwing (no fonts here)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'sopbot-nofonts-'));
    const r = await warmUpCharts(1, { fontDir: empty }).done;
    expect(r.renders).toBe(0);
    expect(r.error?.message).toMatch(/DejaVuSans\.ttf/);
  });

  it('is on by default and can be turned off or refused when out of range', () => {
    expect(loadConfig({}).SOPBOT_CHART_WARMUP_ROUNDS).toBe(6);
    expect(loadConfig({ SOPBOT_CHART_WARMUP_ROUNDS: '0' }).SOPBOT_CHART_WARMUP_ROUNDS).toBe(0);
    expect(() => loadConfig({ SOPBOT_CHART_WARMUP_ROUNDS: '-1' })).toThrow(
      /SOPBOT_CHART_WARMUP_ROUNDS/,
    );
  });
});
