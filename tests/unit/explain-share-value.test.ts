/**
 * The explain answer's "Share in channel" button carries its question and cycle as JSON. A value
 * that is not that (cut, edited, or from an older build) was answered with the generic apology
 * after the ack; it now says the button is damaged and what to do, and shares nothing.
 */
import { describe, expect, it } from 'vitest';
import { readShareValue } from '../../commands/sop-explain.js';
import { SopError } from '../../src/errors.js';
import { warningText } from '../../src/slack/reply.js';

const DAMAGED =
  ':warning: This Share button is damaged, so nothing was shared. Ask again with `/sop explain` and share the new answer.';

const refusal = (raw: string | undefined): string => {
  try {
    readShareValue(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(SopError);
    return warningText(err);
  }
  throw new Error(`readShareValue accepted ${String(raw)}`);
};

describe('the Share button value', () => {
  it('reads the question and the cycle it was asked of', () => {
    expect(readShareValue('{"q":"FAM-1 2027-05","c":"2027-03"}')).toEqual({
      q: 'FAM-1 2027-05',
      c: '2027-03',
    });
  });

  it('refuses what is not JSON, or not the question and a cycle month, with one sentence', () => {
    for (const raw of [
      undefined,
      '',
      '{"q":"FAM-1 2027-05","c":"2027-0', // cut short
      '{"q":"","c":"2027-03"}',
      '{"q":"FAM-1","c":"2027-13"}',
      '["FAM-1","2027-03"]',
    ])
      expect(refusal(raw)).toBe(DAMAGED);
  });
});
