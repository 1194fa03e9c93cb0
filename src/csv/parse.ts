/**
 * RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM. Each record keeps the
 * line it starts on, so errors can say `file:line`. `CsvReader` reads a file piece by piece as
 * it arrives (a big import never holds its rows); `parseCsv` reads a whole text.
 */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/**
 * A CSV text read in pieces: `push` each piece, then `end`; each returns the records it
 * completed. A piece may end anywhere, inside a field, a quote pair or a CRLF.
 */
export class CsvReader {
  private fields: string[] = [];
  private field = '';
  private line = 1;
  private recordLine = 1;
  private quoted = false;
  private fieldStarted = false;
  /** The end of the last piece, when what it means depends on the next character. */
  private carry = '';
  private started = false;

  push(piece: string): CsvRecord[] {
    let src = this.carry + piece;
    this.carry = '';
    if (!this.started && src.length > 0) {
      this.started = true;
      if (src.charCodeAt(0) === 0xfeff) src = src.slice(1);
    }
    return this.scan(src, false);
  }

  end(): CsvRecord[] {
    const out = this.scan(this.carry, true);
    this.carry = '';
    if (this.quoted) throw new CsvSyntaxError(this.recordLine, 'a quoted field is not closed');
    if (this.field !== '' || this.fields.length > 0 || this.fieldStarted) this.endRecord(out);
    return out;
  }

  private endRecord(out: CsvRecord[]): void {
    this.fields.push(this.field);
    if (!(this.fields.length === 1 && this.fields[0] === '' && !this.fieldStarted)) {
      out.push({ line: this.recordLine, fields: this.fields });
    }
    this.fields = [];
    this.field = '';
    this.fieldStarted = false;
  }

  private scan(src: string, final: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    const n = src.length;
    let i = 0;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (this.quoted) {
        if (c === QUOTE) {
          // A quote at the end of a piece may be the first of a doubled one.
          if (i + 1 >= n && !final) {
            this.carry = src.slice(i);
            break;
          }
          if (src.charCodeAt(i + 1) === QUOTE) {
            this.field += '"';
            i += 2;
            continue;
          }
          this.quoted = false;
          i++;
          continue;
        }
        let j = src.indexOf('"', i);
        if (j < 0) j = n;
        for (let k = src.indexOf('\n', i); k >= 0 && k < j; k = src.indexOf('\n', k + 1))
          this.line++;
        this.field += src.slice(i, j);
        i = j;
        continue;
      }
      if (c === QUOTE) {
        if (this.field !== '')
          throw new CsvSyntaxError(this.line, 'a quote inside an unquoted field');
        this.quoted = true;
        this.fieldStarted = true;
        i++;
      } else if (c === COMMA) {
        this.fields.push(this.field);
        this.field = '';
        this.fieldStarted = true;
        i++;
      } else if (c === CR || c === LF) {
        // A CR at the end of a piece may be the first half of a CRLF.
        if (c === CR && i + 1 >= n && !final) {
          this.carry = src.slice(i);
          break;
        }
        this.endRecord(out);
        if (c === CR && src.charCodeAt(i + 1) === LF) i++;
        i++;
        this.line++;
        this.recordLine = this.line;
      } else {
        let j = i + 1;
        while (j < n) {
          const d = src.charCodeAt(j);
          if (d === COMMA || d === CR || d === LF || d === QUOTE) break;
          j++;
        }
        this.field += src.slice(i, j);
        i = j;
      }
    }
    return out;
  }
}

export function parseCsv(text: string): CsvRecord[] {
  const reader = new CsvReader();
  const out = reader.push(text);
  for (const r of reader.end()) out.push(r);
  return out;
}

/** Header names, trimmed and lower-cased. */
export function normaliseHeader(fields: readonly string[]): string[] {
  return fields.map((f) => f.trim().toLowerCase());
}
