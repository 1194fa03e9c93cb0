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
      "one.csv:4: column 'units': 'x' is not a number",
    ]);
  });

  it('reports an unclosed quote at the line where its record starts', () => {
    const r = parseHistoryCsv('period,value\n2024-01,1\n"2024-02,2\n', 'q.csv');
    expect(r.errors).toEqual(['q.csv:3: a quoted field is not closed']);
  });
});
