/**
 * Months a family's sales history leaves out (src/core/history-gaps.ts), the import's
 * warning about them (src/import/warnings.ts), and the plan headline's line
 * (src/slack/presenters/plan-run.ts), all cut to a readable length. Expected text by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  historyEnd,
  historyGaps,
  missingMonths,
  monthRuns,
  withZeroMonths,
} from '../../src/core/history-gaps.js';
import { GAP_FAMILIES_SHOWN, historyGapWarnings } from '../../src/import/warnings.js';
import { planHeadline, zeroFilledLines } from '../../src/slack/presenters/plan-run.js';

describe('history gaps', () => {
  const rows = [
    { family: 'B', period: '2026-09' },
    { family: 'B', period: '2026-12' },
    { family: 'A', period: '2026-10' },
    { family: 'A', period: '2026-11' },
    { family: 'A', period: '2026-12' },
    { family: 'A', period: '2027-01' },
    { family: 'A', period: '2027-02' },
  ];
  it('lists the families with gaps in code order: FAM-2 before FAM-10 and FAM-11', () => {
    const gappy = ['FAM-11', 'FAM-2', 'FAM-10'].flatMap((family) => [
      { family, period: '2026-10' },
      { family, period: '2026-12' },
    ]);
    // Each misses 2026-11 between its first row and the company's last month.
    expect(historyGaps(gappy).map((g) => [g.family, g.months])).toEqual([
      ['FAM-2', ['2026-11']],
      ['FAM-10', ['2026-11']],
      ['FAM-11', ['2026-11']],
    ]);
  });

  it('a family starts at its first row and runs to the company’s last month', () => {
    expect(historyEnd(rows)).toBe('2027-02');
    expect(historyEnd(rows, '2027-02')).toBe('2027-01');
    expect(historyEnd([], null)).toBeNull();
    expect(missingMonths(['2026-09', '2026-12'], '2027-02')).toEqual([
      '2026-10',
      '2026-11',
      '2027-01',
      '2027-02',
    ]);
    // A, which started in 2026-10, has nothing missing: months before its first row do not count.
    expect(historyGaps(rows)).toEqual([
      { family: 'B', months: ['2026-10', '2026-11', '2027-01', '2027-02'] },
    ]);
    // Rows from 2027-01 on are not read: the covered period ends at 2026-12.
    expect(historyGaps(rows, '2027-01')).toEqual([{ family: 'B', months: ['2026-10', '2026-11'] }]);
  });

  it('months are written as runs, the first few, then how many more', () => {
    expect(monthRuns(['2026-10', '2026-11', '2027-01', '2027-02'])).toBe(
      '2026-10..2026-11, 2027-01..2027-02',
    );
    const odd = ['2026-01', '2026-03', '2026-05', '2026-07', '2026-09', '2026-10', '2026-12'];
    expect(monthRuns(odd)).toBe('2026-01, 2026-03, 2026-05, 2026-07 and 3 more months');
    expect(monthRuns(odd, 5)).toBe(
      '2026-01, 2026-03, 2026-05, 2026-07, 2026-09..2026-10 and 1 more month',
    );
  });

  it('the import names the first families, then counts the rest', () => {
    const gaps = Array.from({ length: GAP_FAMILIES_SHOWN + 2 }, (_, i) => ({
      family: `F-${String(i + 1).padStart(2, '0')}`,
      months: ['2027-02'],
    }));
    const notes = historyGapWarnings(gaps, '2027-02');
    expect(notes).toHaveLength(GAP_FAMILIES_SHOWN + 2);
    expect(notes[0]!.message).toMatch(/^12 families have months with no row inside/);
    expect(notes[1]).toEqual({
      line: null,
      column: null,
      message: 'F-01 has no row for 2027-02 (1 month), counted as zero sales',
    });
    expect(notes.at(-1)!.message).toBe('…and 2 more families with months counted as zero sales');
    expect(historyGapWarnings([], '2027-02')).toEqual([]);
  });

  it('the plan headline says how many families’ baselines are zero-filled, and which', () => {
    expect(zeroFilledLines([])).toEqual([]);
    const line = zeroFilledLines([
      { family: 'FAM-B', months: ['2026-11', '2027-01', '2027-02'] },
      { family: 'FAM-<C>', months: ['2027-02'] },
    ]);
    expect(line).toEqual([
      ':warning: The baseline counts months without a sales row as zero sales for 2 families: FAM-B (2026-11, 2027-01..2027-02); FAM-&lt;C&gt; (2027-02). If they sold then, import their rows.',
    ]);
    const many = zeroFilledLines(
      Array.from({ length: 200 }, (_, i) => ({ family: `FAM-${i}`, months: ['2027-02'] })),
    );
    expect(many[0]!.length).toBeLessThan(800);
    expect(many[0]).toMatch(/…and \d+ more\. If they sold then/);
    const head = planHeadline(
      'r1',
      '2027-03',
      [],
      null,
      [],
      [{ family: 'FAM-B', months: ['2027-02'] }],
    );
    expect(head.split('\n')).toEqual([
      '*Plan run r1 for 2027-03 is ready.*',
      ':warning: The baseline counts months without a sales row as zero sales for 1 family: FAM-B (2027-02). If they sold then, import their rows.',
    ]);
  });
});

describe('the history explain shows', () => {
  it('is the baseline’s: months without a row, through the company’s last, read as zero', () => {
    // Rows 2026-10 (30), 2026-11 (40), 2027-01 (50), and an actual of the cycle's month 2027-03
    // (60); the company's history ends 2027-02. By hand: 2026-12 and 2027-02 are zero months,
    // 2027-03 stays as it is, and nothing is added before 2026-10.
    const rows = [
      { period: '2027-03', units: 60 },
      { period: '2026-10', units: 30 },
      { period: '2026-11', units: 40 },
      { period: '2027-01', units: 50 },
    ];
    expect(withZeroMonths(rows, '2027-02')).toEqual([
      { period: '2026-10', units: 30 },
      { period: '2026-11', units: 40 },
      { period: '2026-12', units: 0 },
      { period: '2027-01', units: 50 },
      { period: '2027-02', units: 0 },
      { period: '2027-03', units: 60 },
    ]);
    // No rows: nothing to fill.
    expect(withZeroMonths([], '2027-02')).toEqual([]);
  });
});
