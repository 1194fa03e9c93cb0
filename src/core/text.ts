/**
 * Text people type is checked before it goes anywhere: NUL and other control characters
 * (Postgres refuses NUL in text; the rest are invisible) are refused with the field's name.
 * Tab, line feed and carriage return are text.
 */
const isControl = (c: number): boolean =>
  (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f;

/** The first control character of `s` as U+XXXX, or null when there is none. */
export function controlCharacter(s: string): string | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isControl(c)) return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return null;
}

/** The sentence for a field that holds one. */
export function controlCharacterMessage(field: string, s: string): string | null {
  const c = controlCharacter(s);
  return c ? `${field} contains a control character (${c}); remove it and try again.` : null;
}
