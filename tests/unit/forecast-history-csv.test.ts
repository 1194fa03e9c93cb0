import { describe, expect, it } from 'vitest';
import { parseHistoryCsv } from '../../src/csv/history.js';

describe('sales-history CSV (through the project CSV reader)', () => {
  it('reads the long layout with quotes, CRLF, a BOM and a split column', () => {
    const text =
      '\ufeffseries_id,period,value,split\r\n"A,1",2024-01,5,train\r\n"A,1",2024-02, 7 ,test\r\n\r\nB,2024-01,1,train\r\n';
    const r = parseHistoryCsv(text, 'h.csv');
    expect(r.errors).toEqual([]);
    expect(r.series.map((s) => [s.id, s.train, s.test])).toEqual([
      ['A,1', [5], [7]],
      ['B', [1], []],
    ]);
  });

  it('names the file and line of each problem', () => {
    const text = 'period,units\n2024-01,3\n2024-13,4\n2024-03,x\n';
    const r = parseHistoryCsv(text, 'one.csv');
    expect(r.errors).toEqual([
      "one.csv:3: column 'period': '2024-13' is not a month in YYYY-MM form",
      "one.csv:4: column 'units': must be a number, not 'x'",
    ]);
  });

  it('reads a value as the import does: no hex, and what to write for one written another way', () => {
    // Before: Number() read 0x10 as 16 and 0b11 as 3; '1,234' and '(12)' were "not a number".
    const text = [
      'period,units',
      '2024-01,0x10',
      '2024-02,0b11',
      '2024-03,"1,234"',
      '2024-04,(12)',
      '2024-05,N/A',
      '2024-06,1E+03',
    ].join('\n');
    const r = parseHistoryCsv(text, 'h.csv');
    expect(r.errors).toEqual([
      "h.csv:2: column 'units': must be a number, not '0x10'",
      "h.csv:3: column 'units': must be a number, not '0b11'",
      "h.csv:4: column 'units': must be a number, without a comma: for '1,234' write 1234 if the comma separates thousands, or 1.234 if it marks the decimals",
      "h.csv:5: column 'units': must be a number: '(12)' is an accounting negative (a number in brackets); write -12",
      "h.csv:6: column 'units': must be a number, not 'N/A': a series has a value every month; write the month's, 0 if there was none",
    ]);
  });

  it('reports an unclosed quote at the line where its record starts', () => {
    const r = parseHistoryCsv('period,value\n2024-01,1\n"2024-02,2\n', 'q.csv');
    expect(r.errors).toEqual(['q.csv:3: a quoted field is not closed']);
  });
});
