import { describe, expect, it } from 'vitest';
import { scenarioChart } from '../../src/charts/index.js';
import { sampleScenarios } from '../../src/charts/samples.js';
import type { FamilyShortfall } from '../../src/core/shortfall.js';
import {
  IF_IT_HAPPENS_SECTION,
  planHeadline,
  plansThreadText,
  whatIfChartComment,
  whatIfDiff,
} from '../../src/slack/presenters/plan-run.js';

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
      '• *Central*: expected fill rate 95.8% (92.6% in a bad case), expected margin $73.2M ($70.1M in a bad case), cash generated $60.4M ($58.0M in a bad case); peak utilisation 100.0%, 4 resource-months on overtime; margin at its own planned demand $77.4M',
      '• *Cautious*: expected fill rate 87.6% (82.9% in a bad case), expected margin $71.9M ($69.0M in a bad case), cash generated $61.0M ($59.5M in a bad case); peak utilisation 90.0%, 0 resource-months on overtime; margin at its own planned demand $70M',
      '_Expected and bad case: each plan against the same demand samples; in a bad case, 1 demand outcome in 10 does worse, each figure its own 1 in 10._',
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

describe('plan headline: peak working capital', () => {
  it('gives the expected peak and its bad case, and says the figure is a month-end', () => {
    const wc = {
      ...central,
      kpis: { ...central.kpis, workingCapital: 12_000_000, workingCapitalP90: 13_450_000 },
    };
    const lines = planHeadline('7', '2027-01', [wc], null, [], [], ['2027-01', '2027-02']).split(
      '\n',
    );
    expect(lines[1]).toBe(
      '• *Central*: expected fill rate 95.8% (92.6% in a bad case), expected margin $73.2M ($70.1M in a bad case), cash generated $60.4M ($58.0M in a bad case), peak working capital $12.0M ($13.5M in a bad case); peak utilisation 100.0%, 4 resource-months on overtime; margin at its own planned demand $77.4M',
    );
    expect(lines).toContain(
      '_Money over 2027-01–2027-02 (2 months): margin and cash generated are totals for the period, working capital its highest month-end; invoices and bills open before 2027-01 are left out of the cash._',
    );
  });

  it('a run stored before the bad case was kept: the expected peak alone, named so', () => {
    const wc = { ...central, kpis: { ...central.kpis, workingCapital: 12_000_000 } };
    const line = planHeadline('7', '2027-01', [wc]).split('\n')[1];
    expect(line).toContain(
      'cash generated $60.4M ($58.0M in a bad case), expected peak working capital $12M;',
    );
    expect(line).not.toContain('working capital $12M (');
  });
});

describe('plan headline: the families left short', () => {
  const short = (family: string): FamilyShortfall => ({
    family,
    demand: 1800,
    lost: 1200,
    endBacklog: 0,
    unmet: 1200,
    share: 2 / 3,
    months: ['2027-01', '2027-02'],
    cause: { kind: 'capacity', resources: [{ resource: 'LINE-<1>', months: 2 }] },
  });

  it('names each family under the scenarios, codes escaped', () => {
    const bare = {
      ...central,
      kpis: { fillRate: 0.6, grossMargin: 5, peakUtilisation: 1, overloads: 0 },
    };
    const text = planHeadline('8', null, [bare], null, [
      short('FAM-<b>&'),
      {
        ...short('FAM-0'),
        lost: 600,
        unmet: 600,
        demand: 600,
        share: 1,
        cause: { kind: 'price', period: '2027-01', price: 0, unitCost: 10 },
      },
    ]);
    expect(text.split('\n').slice(2)).toEqual([
      '*Demand the central plan does not meet* (families short by more than 1.0% of their demand over the horizon):',
      '• FAM-&lt;b&gt;&amp;: 1,200 of 1,800 units of demand not met (66.7%) in 2 months, 2027-01–2027-02; capacity binds: LINE-&lt;1&gt; in all 2.',
      '• FAM-0: 600 of 600 units of demand not met (100.0%) in 2 months, 2027-01–2027-02; its price ($0 in 2027-01) does not cover its unit cost ($10), so giving the demand up costs least.',
    ]);
  });

  it('says nothing of it when every family is served', () => {
    expect(planHeadline('8', null, [central], null, [])).not.toContain('does not meet');
  });

  it('keeps whole lines within its budget and says where the rest is', () => {
    const many = Array.from({ length: 40 }, (_, i) => short(`FAMILY-WITH-A-LONG-CODE-${i}`));
    const lines = planHeadline('8', null, [central], null, many).split('\n');
    const listed = lines.filter((l) => l.startsWith('• FAMILY-'));
    // Lines 0–9 are 146 characters, 10–39 are 147, each with a newline after the first; the
    // "more" line is 68 with its newline 69: 10 × 146 + 6 × 147 + 15 newlines = 2,357, and a
    // 17th (148) would pass 2,500 − 69 = 2,431. 16 shown, 24 more.
    expect(listed.length).toBe(16);
    for (const l of listed) expect(l).toMatch(/capacity binds: LINE-&lt;1&gt; in all 2\.$/);
    expect(lines.at(-1)).toBe(
      '_…and 24 more families: `/sop pack md` lists them under question 8._',
    );
  });
});

/** A what-if against central, both stress-tested (the figures each test explains). */
const stressedWhatIf = {
  ...central,
  name: 'whatif',
  label: 'What-if',
  kpis: {
    ...central.kpis,
    grossMargin: 78_000_000,
    makingCost: 130_000_000,
    expectedFillRate: 0.961,
    serviceAtRisk: 0.939,
    expectedMargin: 73_000_000,
    marginP10: 70_100_000.2,
    cashFlowP10: 57_500_000,
    workingCapital: 12_500_000,
  },
};
const withWc = { ...central, kpis: { ...central.kpis, workingCapital: 12_000_000 } };

describe('what-if differences', () => {
  it('gives the bad case of peak working capital beside the expected peak', () => {
    const c = { ...withWc, kpis: { ...withWc.kpis, workingCapitalP90: 12_600_000 } };
    const w = {
      ...stressedWhatIf,
      kpis: { ...stressedWhatIf.kpis, workingCapitalP90: 13_400_000 },
    };
    const lines = whatIfDiff('demand FAM-2 +5%', c, w).split('\n');
    // 13.4 − 12.6 = +0.8M, printed as the amounts are: +$800k.
    expect(lines).toContain(
      '• Peak working capital in a bad case: $13.4M (+$800k vs Central $12.6M)',
    );
    expect(
      lines.indexOf('• Peak working capital in a bad case: $13.4M (+$800k vs Central $12.6M)'),
    ).toBe(lines.indexOf('• Expected peak working capital: $12.5M (+$500k vs Central $12.0M)') + 1);
    // A central stored before the bad case was kept: no line, rather than "n/a" or a guess.
    const old = whatIfDiff('demand FAM-2 +5%', withWc, w);
    expect(old).not.toContain('in a bad case: $13.4M');
    expect(old).not.toContain('Peak working capital in a bad case');
  });

  it('shows the making cost, without the solver’s penalties', () => {
    const whatIf = {
      ...central,
      name: 'whatif',
      label: 'What-if',
      // totalCost moves by 900,000 (mostly penalties); the cash costs by 332,902.
      kpis: { ...central.kpis, totalCost: 130_900_000, makingCost: 130_000_000 },
    };
    const text = whatIfDiff('demand FAM-2 +5%', central, whatIf);
    expect(text).toContain('• Making cost: $130M (+$333k vs Central $130M)');
    expect(text).not.toContain('$900k');
  });

  it('gives the points between the two percentages it prints, not between the unrounded ones', () => {
    // 0.97277 and 0.95730 print 97.3% and 95.7%: 97.3 − 95.7 = +1.6 pts (unrounded, 1.547).
    const whatIf = {
      ...central,
      name: 'whatif',
      label: 'What-if',
      kpis: { ...central.kpis, fillRate: 0.97277 },
    };
    const text = whatIfDiff(
      'demand FAM-2 +5%',
      { ...central, kpis: { ...central.kpis, fillRate: 0.9573 } },
      whatIf,
    );
    expect(text).toContain('• Fill rate: 97.3% (+1.6 pts vs Central 95.7%)');
  });

  it('leads with both plans against the same demand samples, then each at its own demand', () => {
    // Planning for 5% more FAM-2: more stock, so the samples' worst tenth is served better
    // (92.6% → 93.9%) but the expected margin falls by the stock it does not sell.
    expect(whatIfDiff('demand FAM-2 +5%', withWc, stressedWhatIf).split('\n')).toEqual([
      '*What-if:* `demand FAM-2 +5%`',
      '_Against the forecast’s demand samples (both plans, the same samples; in a bad case, 1 demand outcome in 10 does worse, each figure its own 1 in 10):_',
      // 96.1 − 95.8 = 0.3 points; 93.9 − 92.6 = 1.3 points
      '• Expected fill rate: 96.1% (+0.3 pts vs Central 95.8%)',
      '• Fill rate in a bad case: 93.9% (+1.3 pts vs Central 92.6%)',
      // 73,000,000 − 73,238,641 = −238,641, compact as the vote writes it: −$239k
      '• Expected margin: $73.0M (−$239k vs Central $73.2M)',
      // 0.2 apart: no sign on a change that rounds to nothing
      '• Margin in a bad case: $70.1M ($0 vs Central $70.1M)',
      // The same expected cash (the what-if keeps Central's 60,432,220).
      '• Expected cash generated: $60.4M ($0 vs Central $60.4M)',
      '• Cash generated in a bad case: $57.5M (−$500k vs Central $58.0M)',
      '• Expected peak working capital: $12.5M (+$500k vs Central $12.0M)',
      '_Each plan at the demand it plans for:_',
      // 130,000,000 − 129,667,098 = +332,902; both round to $130M, the change says by how much
      '• Making cost: $130M (+$333k vs Central $130M)',
      '• Fill rate: 100.0% (0.0 pts vs Central 100.0%)',
      // 78,000,000 − 77,417,989 = +582,011
      '• Margin: $78.0M (+$582k vs Central $77.4M)',
      '• Peak utilisation: 100.0% (0.0 pts vs Central 100.0%)',
      '• Overloaded resource-months: 4 (0 vs Central 4)',
    ]);
  });

  it('says under its head which months the money covers, and that working capital is a month-end', () => {
    const lines = whatIfDiff('demand FAM-2 +5%', withWc, stressedWhatIf, null, [
      '2027-01',
      '2027-02',
      '2027-03',
    ]).split('\n');
    // A run that did not count the invoices open when it began (no openingReceivables): said.
    expect(lines.slice(0, 2)).toEqual([
      '*What-if:* `demand FAM-2 +5%`',
      '_Money over 2027-01–2027-03 (3 months): margin and cash generated are totals for the period, working capital its highest month-end; invoices and bills open before 2027-01 are left out of the cash._',
    ]);
  });

  it('says what its cash counts of the invoices open when the plan began', () => {
    const owed = (x: typeof withWc) => ({
      ...x,
      kpis: { ...x.kpis, openingReceivables: 19_480_000 },
    });
    const lines = whatIfDiff('demand FAM-2 +5%', owed(withWc), owed(stressedWhatIf), null, [
      '2027-01',
      '2027-02',
    ]).split('\n');
    expect(lines[1]).toBe(
      "_Money over 2027-01–2027-02 (2 months): margin and cash generated are totals for the period, working capital its highest month-end; cash counts collecting the $19.5M customers owed for the plan's families' sales before 2027-01; bills open then are left out._",
    );
  });

  it('quotes a what-if typed over several lines on one line, so its code span holds', () => {
    // Slack ends a code span at a line break; the parser reads the break as ";".
    const head = whatIfDiff(
      'demand FAM-2 +5%\n overtime off;\n\nprice all -1%',
      withWc,
      stressedWhatIf,
    ).split('\n')[0];
    expect(head).toBe('*What-if:* `demand FAM-2 +5%; overtime off; price all -1%`');
  });

  it('gives each money change as the difference of the two amounts it prints', () => {
    // As the demo's what-if: 74,962,000 prints "$75.0M" (beside $73.9M, at its precision) beside Central's 73,931,000
    // "$73.9M": +1.1 (the unrounded +1,031,000 printed "+$1M"). Peak working capital
    // 15,870,000 "$15.9M" beside 14,028,259 "$14.0M": +1.9 (unrounded +1.84 → "+$1.8M").
    const c = {
      ...central,
      kpis: { ...central.kpis, expectedMargin: 73_931_000, workingCapital: 14_028_259 },
    };
    const w = {
      ...stressedWhatIf,
      kpis: { ...stressedWhatIf.kpis, expectedMargin: 74_962_000, workingCapital: 15_870_000 },
    };
    const lines = whatIfDiff('demand all +15% 2027-02..2027-04', c, w).split('\n');
    expect(lines).toContain('• Expected margin: $75.0M (+$1.1M vs Central $73.9M)');
    expect(lines).toContain('• Expected peak working capital: $15.9M (+$1.9M vs Central $14.0M)');
  });

  it('leads a demand what-if with both plans if the change happens', () => {
    // FAM-2 +20%: with the change in every sample, Central's plan as made serves 91.2%
    // expected and 86.4% in a bad case; the plan made for it 95.0% and 92.0%.
    const happens = {
      central: {
        expectedFillRate: 0.912,
        serviceAtRisk: 0.864,
        expectedMargin: 75_000_000,
        marginP10: 71_250_000,
        cashFlow: 61_000_000,
        cashFlowP10: 58_500_000,
        workingCapital: 12_100_000,
        workingCapitalP90: 12_900_000,
      },
      whatIf: {
        expectedFillRate: 0.95,
        serviceAtRisk: 0.92,
        expectedMargin: 78_400_000,
        marginP10: 74_000_000,
        cashFlow: 60_200_000,
        cashFlowP10: 57_100_000,
        workingCapital: 13_000_000,
        workingCapitalP90: 14_200_000,
      },
    };
    const lines = whatIfDiff('demand FAM-2 +20%', withWc, stressedWhatIf, happens).split('\n');
    expect(lines.slice(0, 11)).toEqual([
      '*What-if:* `demand FAM-2 +20%`',
      '_If it happens (the change in every demand sample; Central’s plan as made, the what-if’s made for it; in a bad case, 1 demand outcome in 10 does worse, each figure its own 1 in 10):_',
      // 95.0 − 91.2 = 3.8 points; 92.0 − 86.4 = 5.6 points
      '• Expected fill rate: 95.0% (+3.8 pts vs Central 91.2%)',
      '• Fill rate in a bad case: 92.0% (+5.6 pts vs Central 86.4%)',
      // 78,400,000 − 75,000,000 = +3,400,000. 74,000,000 − 71,250,000 = +2,750,000, but
      // 71.25 prints "$71.3M" beside it: the change is between the amounts as printed,
      // 74.0 − 71.3 = +2.7 (the unrounded +2.75 would print "+$2.8M", which does not add up)
      '• Expected margin: $78.4M (+$3.4M vs Central $75.0M)',
      '• Margin in a bad case: $74.0M (+$2.7M vs Central $71.3M)',
      // If it happens, the cash and working capital it takes: 60.2 − 61 = −0.8M;
      // 57.1 − 58.5 = −1.4M; 13 − 12.1 = +0.9M; 14.2 − 12.9 = +1.3M.
      '• Expected cash generated: $60.2M (−$800k vs Central $61.0M)',
      '• Cash generated in a bad case: $57.1M (−$1.4M vs Central $58.5M)',
      '• Expected peak working capital: $13.0M (+$900k vs Central $12.1M)',
      '• Peak working capital in a bad case: $14.2M (+$1.3M vs Central $12.9M)',
      '_If demand comes as forecast (both plans, the forecast’s samples):_',
    ]);
    // Then the forecast's samples and each plan at its own demand, as without the change
    // (their lines are checked figure by figure above).
    const without = whatIfDiff('demand FAM-2 +20%', withWc, stressedWhatIf).split('\n');
    expect(without[1]).toMatch(/^_Against the forecast’s demand samples/);
    expect(lines.slice(11)).toEqual(without.slice(2));
    expect(lines).toHaveLength(11 + 13);
  });

  it('the chart beside it names the section whose figures it draws: the one the message leads with', () => {
    // The what-if job's chart: both plans, stress-tested against the samples it names.
    const [a, b] = sampleScenarios();
    const subtitle = (whatIf: { samples?: 'forecast' | 'changed'; samplesSection?: string }) =>
      (scenarioChart([a!, b!], { whatIf }).spec as { title: { subtitle: string[] } }).title
        .subtitle;
    // A demand what-if: the message's first section, "If it happens", drawn against the
    // samples with the change in them.
    expect(subtitle({ samples: 'changed', samplesSection: IF_IT_HAPPENS_SECTION })).toEqual([
      'Both plans against the demand samples with the what-if’s change in them: “If it happens” in the message.',
      'Bars: expected over the demand samples; whiskers: P10 to P90. Red dashed line: 100% of capacity',
    ]);
    const happens = {
      central: { expectedFillRate: 0.9, serviceAtRisk: 0.8, expectedMargin: 1, marginP10: 1 },
      whatIf: { expectedFillRate: 0.9, serviceAtRisk: 0.8, expectedMargin: 1, marginP10: 1 },
    };
    const sections = (text: string) => text.split('\n').filter((l) => l.startsWith('_'));
    const demand = sections(whatIfDiff('demand FAM-2 +20%', withWc, stressedWhatIf, happens));
    // "If it happens" first, then the forecast's samples.
    expect(demand[0]).toMatch(/^_If it happens \(/);
    expect(demand[1]).toMatch(/^_If demand comes as forecast \(/);
    // Any other what-if: its one section, against the forecast's samples, is the chart's.
    expect(subtitle({})[0]).toBe('Both plans against the forecast’s demand samples.');
    expect(sections(whatIfDiff('overtime off', withWc, stressedWhatIf))[0]).toMatch(
      /^_Against the forecast’s demand samples \(/,
    );
    // The description says the same, before the figures.
    expect(
      scenarioChart([a!, b!], { whatIf: { samples: 'changed', samplesSection: 'If it happens' } })
        .altText,
    ).toMatch(
      /^Four bar charts comparing 2 scenarios\. Both plans against the demand samples with the what-if’s change in them: “If it happens” in the message\. Central: /,
    );
    // The comment under the chart says which section above it draws.
    expect(whatIfChartComment(IF_IT_HAPPENS_SECTION)).toBe(
      '_The chart draws the figures under “If it happens” above._',
    );
    expect(whatIfChartComment(null)).toBe(
      '_The chart draws each plan at the demand it plans for, as above._',
    );
  });

  it("the chart is titled with the what-if as asked, not as the run's scenario grid", () => {
    const [a, b] = sampleScenarios();
    const chart = scenarioChart([a!, b!], {
      whatIf: { text: 'capacity LINE-1 -20% 2027-02..2027-04' },
    });
    expect(chart.title).toBe('What-if: capacity LINE-1 -20% 2027-02..2027-04');
    expect((chart.spec as { title: { text: string } }).title.text).toBe(
      'What-if: capacity LINE-1 -20% 2027-02..2027-04',
    );
    // Drawn against the changed demand, the title says so after the what-if's words, and
    // keeps saying it when they are long: 90 characters in all.
    const happens = (text: string) =>
      scenarioChart([a!, b!], { whatIf: { text, samples: 'changed' } }).title;
    expect(happens('demand all +15% 2027-02..2027-04')).toBe(
      'What-if: demand all +15% 2027-02..2027-04 — if it happens',
    );
    const long = happens(Array(6).fill('demand FAM-2 +5%').join('; '));
    expect(long.length).toBeLessThanOrEqual(90);
    expect(long).toMatch(/^What-if: demand FAM-2 \+5%; .*… — if it happens$/);
    // The run's own chart keeps its title.
    expect(scenarioChart([a!, b!]).title).toBe('Scenarios compared');
  });
});

describe("the plans thread's message", () => {
  const run = { id: '9', trigger: 'command', createdAt: new Date(Date.UTC(2027, 2, 3, 9)) };
  const scenario = (expectedMargin: number, marginP10: number) => ({
    name: 'central',
    label: 'Central',
    status: 'optimal',
    kpis: { expectedMargin, marginP10, expectedFillRate: 0.95, serviceAtRisk: 0.9 },
  });

  it('writes the margin and its bad case at one precision', () => {
    // $85.7M has tenths, so the bad case's $80M is written to the tenth too.
    const text = plansThreadText('2027-03', { ...run, askedBy: null }, 'UTC', [
      scenario(85_700_000, 80_000_000),
    ]);
    expect(text.split('\n')[2]).toBe(
      '• *Central*: expected margin $85.7M (bad case $80.0M), expected fill rate 95.0% (bad case 90.0%)',
    );
  });

  it('names who asked for the run without mentioning them, whatever their name holds', () => {
    const line = (askedBy: string | null) =>
      plansThreadText('2027-03', { ...run, askedBy }, 'UTC', null).split('\n')[1];
    expect(line('alice')).toMatch(/, asked for by alice\.$/);
    expect(line('alice')).not.toContain('<@');
    // A display name typed as a mention pings no one either.
    expect(line('<@U_BOB>')).not.toContain('<@U_BOB>');
    expect(line(null)).toMatch(/, asked for with `\/sop plan`\.$/);
  });

  it('escapes the name of who asked, so it pings no channel and hides no link', () => {
    const line = plansThreadText(
      '2027-03',
      { ...run, askedBy: 'Rita <!channel> & <https://evil.example|docs>' },
      'UTC',
      null,
    ).split('\n')[1];
    // Written by hand: Slack's three escapes (& < >), the name otherwise as typed.
    expect(line).toMatch(
      /, asked for by Rita &lt;!channel&gt; &amp; &lt;https:\/\/evil\.example\|docs&gt;\.$/,
    );
    expect(line).not.toContain('<!channel>');
    expect(line).not.toContain('<https://');
    // The date is still Slack's own date token, the one control sequence the line keeps.
    expect(line).toMatch(/^Latest: plan run \d+, <!date\^\d+\^/);
  });
});

describe('the headline of a run replaced before it was posted', () => {
  it('says which run replaced it, and whether that run is above', () => {
    const above = planHeadline('3', '2027-03', [central], null, [], [], [], {
      by: '4',
      above: true,
    });
    expect(above.split('\n')[0]).toBe(
      '*Plan run 3 for 2027-03 (replaced by plan run 4 above): its figures are out of date.*',
    );
    const notYet = planHeadline('3', '2027-03', [central], null, [], [], [], {
      by: '4',
      above: false,
    });
    expect(notYet.split('\n')[0]).toBe(
      '*Plan run 3 for 2027-03 (replaced by plan run 4): its figures are out of date.*',
    );
  });
});
