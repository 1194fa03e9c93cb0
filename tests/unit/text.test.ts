/** Text helpers of src/core/text.ts. */
import { describe, expect, it } from 'vitest';
import { controlCharacterMessage, oneUnit } from '../../src/core/text.js';

describe('oneUnit', () => {
  it('names one of a plural unit, as the pack and explain say "one more hour"', () => {
    // English plural endings, written out by hand.
    const cases: [string, string][] = [
      ['hours', 'hour'],
      ['units', 'unit'],
      ['pallets', 'pallet'],
      ['crew hours', 'crew hour'],
      ['hours of labour', 'hour of labour'],
      ['batteries', 'battery'],
      ['boxes', 'box'],
      ['batches', 'batch'],
      ['tonnes', 'tonne'],
      ['Days', 'Day'],
    ];
    for (const [plural, one] of cases) expect(oneUnit(plural)).toBe(one);
  });

  it('leaves words that are not plurals', () => {
    for (const u of ['h', 'kg', 'm3', 'glass', 'bus', 'ms', 'hour']) expect(oneUnit(u)).toBe(u);
  });
});

describe('controlCharacterMessage', () => {
  it('names the field and the character, or says nothing', () => {
    expect(controlCharacterMessage('comment', 'a\u0000b')).toBe(
      'comment contains a control character (U+0000); remove it and try again.',
    );
    expect(controlCharacterMessage('comment', 'tab\there\nline')).toBeNull();
  });
});
