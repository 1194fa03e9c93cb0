/** Row ids from Slack payloads: only positive safe integers in decimal digits pass. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { readRowId, rowId, rowIdNumber, rowIdString } from '../../src/row-id.js';

describe('rowId', () => {
  it('reads ids written in digits, and numbers that are ids', () => {
    expect(rowId('12', 'The action')).toBe(12);
    expect(rowId('9007199254740991', 'The action')).toBe(9007199254740991);
    expect(rowId(41, 'The cycle')).toBe(41);
  });

  it.each(['12abc', '-1', '1e3', '', '9007199254740993', '0', '012', ' 12', '12.0', '0x1F'])(
    'refuses %j with a ValidationError naming what it was for',
    (value) => {
      expect(() => rowId(value, 'The action')).toThrow(ValidationError);
      expect(() => rowId(value, 'The action')).toThrow(
        `The action '${value}' is not an id; an id is a whole number written in digits, such as 41.`,
      );
    },
  );

  it('refuses numbers that are not ids, and anything else', () => {
    for (const v of [
      0,
      -1,
      1.5,
      2 ** 53,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      null,
      undefined,
      {},
    ])
      expect(readRowId(v)).toBeNull();
    expect(() => rowId(undefined, 'The vote')).toThrow(
      "The vote '' is not an id; an id is a whole number written in digits, such as 41.",
    );
  });

  it('has zod forms for parsed payloads', () => {
    expect(rowIdString.safeParse('7').success).toBe(true);
    expect(rowIdString.safeParse('1e3').success).toBe(false);
    expect(rowIdNumber.safeParse(7).success).toBe(true);
    expect(rowIdNumber.safeParse(9007199254740992).success).toBe(false);
  });
});
