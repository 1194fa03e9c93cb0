/** Typed changes: control characters refused by field name, values bounded. */
import { describe, expect, it } from 'vitest';
import { type ChangeInput, checkChangeText, FieldError } from '../../src/services/adjustments.js';

const base: ChangeInput = {
  target: 'FAM-1',
  from: '2027-03',
  to: '2027-03',
  kind: 'delta_units',
  value: 10,
  reason: 'promotion',
  comment: null,
};

const fieldOf = (input: ChangeInput): [string, string] | 'accepted' => {
  try {
    checkChangeText(input);
    return 'accepted';
  } catch (err) {
    if (err instanceof FieldError) return [err.field, err.message];
    throw err;
  }
};

describe('typed change input', () => {
  it('refuses NUL and other control characters, naming the field', () => {
    expect(fieldOf({ ...base, comment: 'spring\u0000sale' })).toEqual([
      'comment',
      'The comment contains a control character (U+0000); remove it and try again.',
    ]);
    expect(fieldOf({ ...base, target: 'FAM\u00071' })[0]).toBe('target');
    expect(fieldOf({ ...base, comment: 'two\nlines\tand a tab' })).toBe('accepted');
  });

  it('bounds magnitudes: at most ±1,000% and 1e9 units', () => {
    expect(fieldOf({ ...base, kind: 'delta_pct', value: 1e22 })[0]).toBe('value');
    expect(fieldOf({ ...base, kind: 'delta_pct', value: 1000 })).toBe('accepted');
    expect(fieldOf({ ...base, kind: 'delta_units', value: 1e25 })[0]).toBe('value');
    expect(fieldOf({ ...base, kind: 'set', value: 1e9 })).toBe('accepted');
    expect(fieldOf({ ...base, kind: 'set', value: 1e9 + 1 })[0]).toBe('value');
  });
});
