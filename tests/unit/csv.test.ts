import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/csv/format.js';
import { CsvReader, CsvSyntaxError, parseCsv } from '../../src/csv/parse.js';

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, CRLF, a BOM and blank lines, keeping line numbers', () => {
    const text = '\ufeffa,b\r\n"x, y","say ""hi"""\r\n\r\n"multi\nline",2\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 4, fields: ['multi\nline', '2'] },
    ]);
  });

  it('reads a text cut into pieces anywhere as it reads the whole (CsvReader)', () => {
    // Every cut: inside a field, between the two quotes of a doubled quote, between CR and LF,
    // after the BOM, inside a quoted newline. Records and lines as written out by hand.
    const text = '\ufeffa,b\r\n"x, y","say ""hi"""\r\n\r\n"multi\nline",2\nlast,"q"';
    const expected = [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 4, fields: ['multi\nline', '2'] },
      { line: 6, fields: ['last', 'q'] },
    ];
    for (let cut = 0; cut <= text.length; cut++) {
      for (let second = cut; second <= text.length; second += 7) {
        const reader = new CsvReader();
        const records = [
          ...reader.push(text.slice(0, cut)),
          ...reader.push(text.slice(cut, second)),
          ...reader.push(text.slice(second)),
          ...reader.end(),
        ];
        expect(records, `cut at ${cut} and ${second}`).toEqual(expected);
      }
    }
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
