/**
 * The line each natural key of a file was first seen on, to refuse a key the file repeats,
 * kept small for a file of millions of rows: by the key's first value (a family, an order),
 * then the rest of its values numbered once (a sales file's months, an order's line numbers
 * recur from one family or order to the next), so a row costs one entry of two small numbers
 * rather than a string of its own (bench/README.md, "Big imports").
 */
export class SeenKeys {
  private readonly byFirst = new Map<string, Map<number, number>>();
  private readonly restIds = new Map<string, number>();

  /** The line `key` was first seen on; undefined the first time, when `line` is kept for it. */
  firstLine(key: readonly string[], line: number): number | undefined {
    const [first = '', ...others] = key;
    const rest = others.join('\u0000');
    let id = this.restIds.get(rest);
    if (id === undefined) {
      id = this.restIds.size;
      this.restIds.set(rest, id);
    }
    let lines = this.byFirst.get(first);
    if (!lines) {
      lines = new Map();
      this.byFirst.set(first, lines);
    }
    const seen = lines.get(id);
    if (seen === undefined) lines.set(id, line);
    return seen;
  }
}
