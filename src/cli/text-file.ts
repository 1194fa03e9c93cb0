/**
 * Reading a file someone hands a CLI command (a CSV to import or forecast, a plan file): its
 * text, or a ValidationError saying what is wrong with it in words. Spreadsheets and editors
 * save text in more than one way: a UTF-8 byte-order mark (Excel's "CSV UTF-8", Notepad) is
 * dropped, UTF-16 with its mark (Excel's "Unicode Text") is decoded, and anything else must be
 * UTF-8: a file in a legacy code page (Excel's plain "CSV" on Windows) is refused naming its
 * first line that is not, rather than read with its accented letters turned into '�'. A file
 * with NUL bytes (UTF-16 saved without its mark reads as valid UTF-8 with a NUL after every
 * letter) is refused naming its first such line, rather than read as columns like 'c\0o\0d\0e'.
 */
import { readFile } from 'node:fs/promises';
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
