/**
 * The text of a file handed to the CLI, however a spreadsheet or editor saved it: the bytes
 * below are written out by hand from the encodings' tables (è is C3 A8 in UTF-8, E8 in
 * Windows-1252, E8 00 in UTF-16LE, 00 E8 in UTF-16BE).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText, streamTextFile } from '../../src/cli/text-file.js';

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

describe('streamTextFile', () => {
  const MB = 1 << 20;
  /** The pieces of `bytes` written to a file, joined; and the bytes the stream says it read. */
  const streamed = async (bytes: Buffer) => {
    const dir = await mkdtemp(join(tmpdir(), 'sopbot-text-file-'));
    try {
      const file = join(dir, 'f.csv');
      await writeFile(file, bytes);
      const s = await streamTextFile(file, 10 * MB, () => 'too big');
      let text = '';
      for await (const piece of s.pieces) text += piece;
      return { text, bytes: s.bytes, read: s.read(), file };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  it('reads a letter whose two bytes fall either side of a 1 MB read as one letter', async () => {
    // Line 1: MB - 1 'a's, so è's C3 is the last byte of the first 1 MB read and A8 the first
    // of the next; then ",2\n".
    const bytes = Buffer.concat([
      Buffer.alloc(MB - 1, 0x61),
      Buffer.from([0xc3, 0xa8]),
      Buffer.from(',2\n'),
    ]);
    const r = await streamed(bytes);
    expect(r.text).toBe(`${'a'.repeat(MB - 1)}è,2\n`);
    // MB - 1 + 2 + 3 bytes.
    expect(r.bytes).toBe(MB + 4);
    expect(r.read).toBe(MB + 4);
  });

  it('refuses a legacy code page past the first read, naming its line', async () => {
    // 300,000 lines of "ok\n" (900,000 bytes), then lines of 'x' to past 1 MB, then on line
    // 300,003 Windows-1252's è (E8).
    const bytes = Buffer.concat([
      Buffer.from('ok\n'.repeat(300_000)),
      Buffer.from(`${'x'.repeat(200_000)}\n${'x'.repeat(10)}\n`),
      Buffer.from([0x43, 0x72, 0xe8, 0x0a]),
    ]);
    await expect(streamed(bytes)).rejects.toThrow(
      /: line 300003 is not UTF-8 text; save it as UTF-8/,
    );
  });
});
