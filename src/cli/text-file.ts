/**
 * Reading a file someone hands a CLI command (a CSV to import or forecast, a plan file): its
 * text, or a ValidationError saying what is wrong with it in words. Spreadsheets and editors
 * save text in more than one way: a UTF-8 byte-order mark (Excel's "CSV UTF-8", Notepad) is
 * dropped, UTF-16 with its mark (Excel's "Unicode Text") is decoded, and anything else must be
 * UTF-8: a file in a legacy code page (Excel's plain "CSV" on Windows) is refused naming its
 * first line that is not, rather than read with its accented letters turned into '�'. A file
 * with NUL bytes (UTF-16 saved without its mark reads as valid UTF-8 with a NUL after every
 * letter) is refused naming its first such line, rather than read as columns like 'c\0o\0d\0e'.
 * `streamTextFile` gives the same text in pieces as they are read, for a file too big to hold.
 */
import { createReadStream } from 'node:fs';
import { access, constants, readFile, stat } from 'node:fs/promises';
import { ValidationError } from '../errors.js';

/** What to do, for a file that is not UTF-8. */
const SAVE_AS_UTF8 = 'save it as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)") and run again';

/** Why a file could not be read, in words, by the error's code. */
function unreadable(file: string, err: NodeJS.ErrnoException): string {
  const why: Record<string, string> = {
    ENOENT: 'there is no such file',
    EISDIR: 'it is a folder, not a file',
    EACCES: 'permission denied (this user may not read it)',
    EPERM: 'permission denied (this user may not read it)',
  };
  return `cannot read ${file}: ${why[err.code ?? ''] ?? err.code ?? err.message}`;
}

/** The file's text; a ValidationError naming the file when it cannot be read or is not text. */
export async function readTextFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new ValidationError(unreadable(file, err as NodeJS.ErrnoException));
  }
  return decodeText(file, bytes);
}

/** `bytes` as text: without a UTF-8 mark, UTF-16 by its mark, else UTF-8 or refused. */
export function decodeText(file: string, bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  // ignoreBOM: false (the default) drops a leading UTF-8 mark.
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    // A newline byte is never part of a multi-byte UTF-8 character: decode line by line.
    let start = 0;
    for (let line = 1; start <= bytes.length; line++) {
      const nl = bytes.indexOf(0x0a, start);
      const end = nl < 0 ? bytes.length : nl;
      try {
        new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
          bytes.subarray(start, end),
        );
      } catch {
        throw new ValidationError(`${file}: line ${line} is not UTF-8 text; ${SAVE_AS_UTF8}`);
      }
      start = end + 1;
    }
    throw new ValidationError(`${file}: is not UTF-8 text; ${SAVE_AS_UTF8}`);
  }
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const line = text.slice(0, nul).split('\n').length;
    throw new ValidationError(
      `${file}: line ${line} holds NUL bytes, as UTF-16 text saved without its byte-order mark does; ${SAVE_AS_UTF8}`,
    );
  }
  return text;
}

/** A file's size and its text in pieces as it is read. */
export interface TextStream {
  readonly bytes: number;
  /** The text, decoded as `decodeText` decodes it; `read()` tells the bytes read so far. */
  readonly pieces: AsyncIterable<string>;
  readonly read: () => number;
}

/** `n` bytes in MB, one decimal. */
export const megabytes = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;

/**
 * The file's text as a stream of pieces, as `readTextFile` reads it whole: checked now that it
 * is there, a file, readable and at most `maxBytes` (else a ValidationError saying so and what
 * to do), then read when iterated. A piece that is not UTF-8 or holds a NUL makes the file be
 * read whole by `decodeText`, whose error names the line.
 */
export async function streamTextFile(
  file: string,
  maxBytes: number,
  tooBig: (bytes: number) => string,
): Promise<TextStream> {
  let bytes: number;
  try {
    const found = await stat(file);
    if (found.isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
    await access(file, constants.R_OK);
    bytes = found.size;
  } catch (err) {
    throw new ValidationError(unreadable(file, err as NodeJS.ErrnoException));
  }
  if (bytes > maxBytes) throw new ValidationError(tooBig(bytes));
  let read = 0;
  async function* pieces(): AsyncIterable<string> {
    let decoder: InstanceType<typeof TextDecoder> | null = null;
    try {
      for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
        const buf = chunk as Buffer;
        if (decoder === null) {
          // A mark split over the first read is not a case: the first read is 1 MB or the file.
          decoder =
            buf[0] === 0xff && buf[1] === 0xfe
              ? new TextDecoder('utf-16le')
              : buf[0] === 0xfe && buf[1] === 0xff
                ? new TextDecoder('utf-16be')
                : new TextDecoder('utf-8', { fatal: true });
        }
        read += buf.length;
        const text = decoder.decode(buf, { stream: true });
        if (text.includes('\0')) throw new TypeError('NUL');
        yield text;
      }
      const rest = decoder?.decode() ?? '';
      if (rest) yield rest;
    } catch (err) {
      if (!(err instanceof TypeError)) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code) throw new ValidationError(unreadable(file, err as NodeJS.ErrnoException));
        throw err;
      }
      // Not UTF-8, or a NUL: the whole file's check names the line.
      decodeText(file, await readFile(file));
      throw new ValidationError(`${file}: is not UTF-8 text; ${SAVE_AS_UTF8}`);
    }
  }
  return { bytes, pieces: pieces(), read: () => read };
}
