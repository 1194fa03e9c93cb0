/**
 * What an import says about the lines of one file: the problems that refuse it and the
 * warnings that let it stand, both written `file:line: column 'x': what is wrong`.
 */

/** A row of a file whose fields passed the checks: its line and its parsed values. */
export interface ImportRow {
  readonly line: number;
  readonly value: Readonly<Record<string, unknown>>;
}

/** One note on a file: at a line and column, or (line null) about the whole file. */
export interface LineNote {
  readonly line: number | null;
  readonly column: string | null;
  readonly message: string;
}

/** `file:line: column 'x': message`; without a line, `file: message`. */
export function formatNote(file: string, note: LineNote): string {
  const where = note.line === null ? file : `${file}:${note.line}`;
  return `${where}: ${note.column ? `column '${note.column}': ` : ''}${note.message}`;
}

/**
 * Notes of one file, reported in line order (notes about the whole file first) whatever pass
 * found them, the first `cap` of them: a file of a million bad rows keeps only what can still
 * be among those.
 */
export class LineNotes {
  private found: { readonly line: number; readonly text: string }[] = [];
  private cut = false;
  private total = 0;
  constructor(
    private readonly file: string,
    private readonly cap: number,
  ) {}
  /** Once `cap` are kept: the line of the last of them, after which no note can be kept. */
  private lastKept = Number.POSITIVE_INFINITY;
  add(line: number | null, column: string | null, message: string): void {
    this.total += 1;
    // Beyond what is kept (a file of a million bad rows): counted, not written.
    if ((line ?? 0) >= this.lastKept) {
      this.cut = true;
      return;
    }
    this.found.push({
      line: line ?? 0,
      text: formatNote(this.file, { line, column, message }),
    });
    if (this.found.length >= 2 * this.cap) this.keepFirst();
  }
  get any(): boolean {
    return this.found.length > 0;
  }
  /** The first `cap` by line; a stable sort keeps the order of each line's notes. */
  private keepFirst(): void {
    this.found.sort((a, b) => a.line - b.line);
    if (this.found.length > this.cap) {
      this.found = this.found.slice(0, this.cap);
      this.cut = true;
    }
    if (this.found.length >= this.cap) this.lastKept = this.found.at(-1)?.line ?? this.lastKept;
  }
  /** The notes as written, whether more were left out, and how many there were. */
  report(): {
    readonly list: readonly string[];
    readonly truncated: boolean;
    readonly total: number;
  } {
    this.keepFirst();
    return { list: this.found.map((n) => n.text), truncated: this.cut, total: this.total };
  }
}
