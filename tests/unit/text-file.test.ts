/**
 * The text of a file handed to the CLI, however a spreadsheet or editor saved it: the bytes
 * below are written out by hand from the encodings' tables (è is C3 A8 in UTF-8, E8 in
 * Windows-1252, E8 00 in UTF-16LE, 00 E8 in UTF-16BE).
 */
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/cli/text-file.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
// "a,è\n1,2\n" without a byte-order mark, in UTF-8.
const UTF8 = [0x61, 0x2c, 0xc3, 0xa8, 0x0a, 0x31, 0x2c, 0x32, 0x0a];

describe('decodeText', () => {
  it('reads UTF-8, with or without its byte-order mark', () => {
    expect(decodeText('f.csv', bytes(...UTF8))).toBe('a,è\n1,2\n');
    expect(decodeText('f.csv', bytes(0xef, 0xbb, 0xbf, ...UTF8))).toBe('a,è\n1,2\n');
  });

  it('reads UTF-16 of either byte order by its mark', () => {
    const le = bytes(0xff, 0xfe, 0x61, 0, 0x2c, 0, 0xe8, 0, 0x0a, 0);
    const be = bytes(0xfe, 0xff, 0, 0x61, 0, 0x2c, 0, 0xe8, 0, 0x0a);
    expect(decodeText('f.csv', le)).toBe('a,è\n');
    expect(decodeText('f.csv', be)).toBe('a,è\n');
  });

  it('refuses a legacy code page, naming the first line that is not UTF-8', () => {
    // "id\r\nok\r\nCr\xE8me\r\n": line 3 holds Windows-1252's è.
    const cp1252 = bytes(
      0x69,
      0x64,
      0x0d,
      0x0a,
      0x6f,
      0x6b,
      0x0d,
      0x0a,
      0x43,
      0x72,
      0xe8,
      0x6d,
      0x65,
    );
    expect(() => decodeText('f.csv', cp1252)).toThrow(
      'f.csv: line 3 is not UTF-8 text; save it as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)") and run again',
    );
  });

  it('refuses UTF-16 saved without its mark, naming the first line with a NUL byte', () => {
    // "id\nab\n" in UTF-16LE without FF FE: every byte is valid UTF-8, a NUL after each letter.
    const le = bytes(0x69, 0, 0x64, 0, 0x0a, 0, 0x61, 0, 0x62, 0, 0x0a, 0);
    expect(() => decodeText('f.csv', le)).toThrow(
      'f.csv: line 1 holds NUL bytes, as UTF-16 text saved without its byte-order mark does; save it as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)") and run again',
    );
    // "ok\n" in UTF-8, then "x" in UTF-16BE: the NUL is on line 2.
    const later = bytes(0x6f, 0x6b, 0x0a, 0, 0x78);
    expect(() => decodeText('f.csv', later)).toThrow('f.csv: line 2 holds NUL bytes');
  });
});
