/** Typed changes: control characters refused in codes, stripped from comments; sizes bounded. */
import { describe, expect, it } from 'vitest';
import {
  type ChangeInput,
  checkChangeText,
  cleanChangeInput,
  FieldError,
} from '../../src/services/adjustments.js';

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
  it('refuses NUL and other control characters in a code, naming the field', () => {
    expect(fieldOf({ ...base, target: 'FAM\u00071' })).toEqual([
      'target',
      'The code contains a control character (U+0007); remove it and try again.',
    ]);
    expect(fieldOf({ ...base, comment: 'two\nlines\tand a tab' })).toBe('accepted');
  });

  it('strips control characters other than line feed and tab from the comment', () => {
    expect(
      cleanChangeInput({ ...base, comment: ' spring\u0000 sale\r\nsecond\tline\u001b ' }).comment,
    ).toBe('spring sale\nsecond\tline');
    expect(cleanChangeInput({ ...base, comment: '\u0000\u0007 ' }).comment).toBeNull();
    expect(cleanChangeInput({ ...base, comment: null }).comment).toBeNull();
  });

  it('refuses a comment over 1,000 characters, naming the field and the limit', () => {
    expect(fieldOf({ ...base, comment: 'x'.repeat(1000) })).toBe('accepted');
    expect(fieldOf({ ...base, comment: 'x'.repeat(1001) })).toEqual([
      'comment',
      'The comment is 1,001 characters; keep it to 1,000.',
    ]);
  });

  it('bounds magnitudes: at most ±1,000% and 1e9 units', () => {
    expect(fieldOf({ ...base, kind: 'delta_pct', value: 1e22 })[0]).toBe('value');
    expect(fieldOf({ ...base, kind: 'delta_pct', value: 1000 })).toBe('accepted');
    expect(fieldOf({ ...base, kind: 'delta_units', value: 1e25 })[0]).toBe('value');
    expect(fieldOf({ ...base, kind: 'set', value: 1e9 })).toBe('accepted');
    expect(fieldOf({ ...base, kind: 'set', value: 1e9 + 1 })[0]).toBe('value');
  });
});
