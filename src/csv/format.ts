/** Write CSV text: fields with commas, quotes or newlines are quoted. */
function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s =
    typeof v === 'number'
      ? Number.isInteger(v)
        ? String(v)
        : String(Math.round(v * 1e4) / 1e4)
      : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A typed text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a carriage
 * return first: OWASP's "CSV injection" list) gets a leading `'`, which Excel, Sheets and
 * LibreOffice read as "this is text" and do not show. Numbers are left alone.
 */
export function spreadsheetText(v: string | number | null | undefined): string | number | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
  opts: {
    /**
     * For files people open in a spreadsheet (exports, not import files): text cells that
     * would start a formula are written as text (`spreadsheetText`).
     */
    readonly forSpreadsheets?: boolean;
  } = {},
): string {
  const cell = opts.forSpreadsheets
    ? (v: string | number | null | undefined) => csvField(spreadsheetText(v))
    : csvField;
  const lines = [header.join(',')];
  for (const r of rows) lines.push(r.map(cell).join(','));
  return `${lines.join('\n')}\n`;
}
