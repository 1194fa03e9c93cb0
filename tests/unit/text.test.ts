/** Text helpers of src/core/text.ts. */
import { describe, expect, it } from 'vitest';
import { clip as chartClip } from '../../src/charts/format.js';
import {
  controlCharacterMessage,
  cutWhole,
  MAX_COMMENT_CHARS,
  namedCodes,
  oneUnit,
  prefixWithin,
  readFreeText,
  stripControl,
} from '../../src/core/text.js';
import { clipMrkdwn } from '../../src/slack/presenters/fit.js';
import { clip } from '../../src/slack/presenters/format.js';

describe('namedCodes', () => {
  it('names codes in order, digits as numbers, at most 8, then how many more', () => {
    expect(namedCodes(['LINE-10', 'LINE-2', 'LINE-1'])).toBe('LINE-1, LINE-2, LINE-10');
    const many = Array.from({ length: 11 }, (_, i) => `FAM-${11 - i}`);
    expect(namedCodes(many)).toBe(
      'FAM-1, FAM-2, FAM-3, FAM-4, FAM-5, FAM-6, FAM-7, FAM-8 and 3 more',
    );
    expect(namedCodes([])).toBe('');
  });
});

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

describe('cutting text never splits a character', () => {
  const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  it('keeps whole emoji, flags and family sequences', () => {
    // 73 letters then a rocket (2 UTF-16 units): a 74-unit cut would keep half of it.
    const rocket = `${'a'.repeat(73)}🚀🚀`;
    expect(prefixWithin(rocket, 74)).toBe('a'.repeat(73));
    expect(prefixWithin(rocket, 75)).toBe(`${'a'.repeat(73)}🚀`);
    // The family 👨‍👩‍👧 is 8 units; a flag 🇫🇷 is 4: neither is cut in part.
    expect(prefixWithin('x👨‍👩‍👧y', 6)).toBe('x');
    expect(prefixWithin('🇫🇷🇫🇷', 6)).toBe('🇫🇷');
    expect(prefixWithin('short', 10)).toBe('short');
  });

  it('every clip ends on a whole character, within its length', () => {
    const s = `${'a'.repeat(198)}🚀 and the rest of a long comment`;
    for (const out of [clip(s, 200), chartClip(s, 200), clipMrkdwn(s, 200)]) {
      expect(out).not.toMatch(lone);
      expect(out.length).toBeLessThanOrEqual(200);
      expect(out.endsWith('…')).toBe(true);
    }
    // Before: 'a' × 198 + the rocket's first half + '…', which Slack showed as 🐦.
    expect(clip(s, 200)).toBe(`${'a'.repeat(198)}…`);
  });
});

describe('cutWhole', () => {
  it('cuts at the last whole sentence that fits, else at a whole word with an ellipsis', () => {
    const two = 'Demand cannot be met. The backlog cannot be brought down.';
    expect(cutWhole(two, 200)).toBe(two);
    // The first sentence is 21 characters: within 40, and more than a third of it.
    expect(cutWhole(two, 40)).toBe('Demand cannot be met.');
    // Within 15 no sentence ends: the words that fit in 14, then "…".
    expect(cutWhole(two, 15)).toBe('Demand cannot…');
    // A decimal point is not the end of a sentence.
    expect(cutWhole('Price 12.50 is below the cost of 14.20 here', 20)).toBe('Price 12.50 is…');
    // A sentence shorter than a third of the room is not worth the cut: words instead.
    expect(cutWhole('No. Then a much longer sentence follows here', 30)).toBe(
      'No. Then a much longer…',
    );
  });
});

describe('free text (comments, notes, reasons)', () => {
  it('loses control characters other than line feed and tab, and its ends', () => {
    expect(stripControl(' spring\u0000 sale\u0007\u001b[31m\r\nline two\tend\u007f ')).toBe(
      'spring sale[31m\nline two\tend',
    );
    expect(stripControl('a\rb')).toBe('a\nb');
  });

  it('is refused over its limit, naming the field and the limit', () => {
    expect(MAX_COMMENT_CHARS).toBe(1000);
    expect(readFreeText('The comment', 'x'.repeat(1000))).toEqual({
      ok: true,
      text: 'x'.repeat(1000),
    });
    expect(readFreeText('The comment', 'x'.repeat(1001))).toEqual({
      ok: false,
      message: 'The comment is 1,001 characters; keep it to 1,000.',
    });
    // Counted after cleaning: 1,000 letters and 5 NULs fit.
    expect(readFreeText('The note', `${'y'.repeat(1000)}\u0000\u0000\u0000\u0000\u0000`)).toEqual({
      ok: true,
      text: 'y'.repeat(1000),
    });
    expect(readFreeText('The note', 'y'.repeat(501), 500)).toEqual({
      ok: false,
      message: 'The note is 501 characters; keep it to 500.',
    });
  });
});
