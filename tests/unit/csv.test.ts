import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/csv/format.js';
import { CsvSyntaxError, parseCsv } from '../../src/csv/parse.js';

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, CRLF, a BOM and blank lines, keeping line numbers', () => {
    const text = '\ufeffa,b\r\n"x, y","say ""hi"""\r\n\r\n"multi\nline",2\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 4, fields: ['multi\nline', '2'] },
    ]);
  });

  it('keeps empty fields', () => {
    expect(parseCsv('a,,c\n,,\n')).toEqual([
      { line: 1, fields: ['a', '', 'c'] },
      { line: 2, fields: ['', '', ''] },
    ]);
  });

  it('reports an unclosed quote with its line', () => {
    expect(() => parseCsv('a,b\n"open,1\n')).toThrow(CsvSyntaxError);
    try {
      parseCsv('a,b\nc,d\n"open,1\n');
    } catch (e) {
      expect((e as CsvSyntaxError).line).toBe(3);
    }
  });

  it('round-trips what toCsv writes', () => {
    const rows = [
      ['FAM-1', 'Kettle, 2L', 12.5],
      ['FAM-2', 'The "best"', null],
    ] as const;
    const parsed = parseCsv(toCsv(['code', 'name', 'price'], rows));
    expect(parsed.map((r) => r.fields)).toEqual([
      ['code', 'name', 'price'],
      ['FAM-1', 'Kettle, 2L', '12.5'],
      ['FAM-2', 'The "best"', ''],
    ]);
  });
});
