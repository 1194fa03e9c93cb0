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

export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string {
  const lines = [header.join(',')];
  for (const r of rows) lines.push(r.map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}
