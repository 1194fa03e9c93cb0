import { describe, expect, it } from 'vitest';
import { planHeadline, whatIfDiff } from '../../src/slack/presenters/plan-run.js';

const central = {
  name: 'central',
  label: 'Central',
  status: 'optimal',
  kpis: {
    fillRate: 1,
    grossMargin: 77_417_989,
    totalCost: 130_000_000,
    makingCost: 129_667_098,
    peakUtilisation: 1,
    overloads: 4,
    expectedFillRate: 0.958,
    serviceAtRisk: 0.926,
    expectedMargin: 73_238_641,
    marginP10: 70_100_000,
    cashFlow: 60_432_220,
    cashFlowP10: 58_000_000,
  },
};
const cautious = {
  name: 'cautious',
  label: 'Cautious',
  status: 'optimal',
  kpis: {
    fillRate: 1,
    grossMargin: 70_000_000,
    peakUtilisation: 0.9,
    overloads: 0,
    expectedFillRate: 0.876,
    serviceAtRisk: 0.829,
    expectedMargin: 71_873_302,
    marginP10: 69_000_000,
    cashFlow: 61_000_000,
    cashFlowP10: 59_500_000,
  },
};

describe('plan headline', () => {
  it('leads with the figures against the same demand samples, not the plan’s own demand', () => {
    const text = planHeadline('7', '2027-01', [central, cautious]);
    expect(text.split('\n')).toEqual([
      '*Plan run 7 for 2027-01 is ready.*',
      '• *Central*: expected fill rate 95.8% (92.6% at P10), expected margin $73,238,641 ($70,100,000 at P10), cash $60,432,220 ($58,000,000 at P10); peak utilisation 100.0%, 4 resource-months on overtime; margin at its own planned demand $77,417,989',
      '• *Cautious*: expected fill rate 87.6% (82.9% at P10), expected margin $71,873,302 ($69,000,000 at P10), cash $61,000,000 ($59,500,000 at P10); peak utilisation 90.0%, 0 resource-months on overtime; margin at its own planned demand $70,000,000',
      '_Expected and P10: each plan against the same demand samples._',
    ]);
  });

  it('says so when the figures are only each plan’s own', () => {
    const bare = {
      ...central,
      kpis: { fillRate: 1, grossMargin: 5, peakUtilisation: 1, overloads: 0 },
    };
    expect(planHeadline('8', null, [bare])).toBe(
      '*Plan run 8 is ready.*\n• *Central*: at its own planned demand, fill rate 100.0%, margin $5; peak utilisation 100.0%, 0 resource-months on overtime',
    );
  });
});

describe('what-if differences', () => {
  it('shows the making cost, without the solver’s penalties', () => {
    const whatIf = {
      ...central,
      name: 'whatif',
      label: 'What-if',
      // totalCost moves by 900,000 (mostly penalties); the cash costs by 332,902.
      kpis: { ...central.kpis, totalCost: 130_900_000, makingCost: 130_000_000 },
    };
    const text = whatIfDiff('demand FAM-2 +5%', central, whatIf);
    expect(text).toContain('• Making cost: $130,000,000 (+$332,902 vs central $129,667,098)');
    expect(text).not.toContain('900,000');
  });
});
