/**
 * Row ids that come back from Slack (a button's value, a field of a modal's private_metadata,
 * a number typed after a command) are the clicker's to forge. One reader for all of them: a
 * positive safe integer written in decimal digits, or a number that is one; anything else
 * ("12abc", "-1", "1e3", "", 2^53 + 1) is refused with a ValidationError naming what it was
 * meant to be, before any query runs.
 */
import { z } from 'zod';
import { ValidationError } from './errors.js';

const DIGITS = /^[1-9]\d*$/;

/** The id in `value`, or null when it is not a positive safe integer in decimal digits. */
export function readRowId(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
  if (typeof value !== 'string' || !DIGITS.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

/** The id in `value`; throws a ValidationError naming `what` (e.g. "The action's id") if none. */
export function rowId(value: unknown, what: string): number {
  const id = readRowId(value);
  if (id !== null) return id;
  const shown = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  throw new ValidationError(
    `${what} '${shown.slice(0, 24)}' is not an id; an id is a whole number written in digits, such as 41.`,
  );
}

/** `rowId` as a string, the way bigint ids travel (kysely reads int8 columns as strings). */
export const rowIdText = (value: unknown, what: string): string => String(rowId(value, what));

/** A row id as a string field of a parsed payload (zod), e.g. private_metadata's `pollId`. */
export const rowIdString = z
  .string()
  .refine((s) => readRowId(s) !== null, 'must be an id: a whole number written in digits');

/** A row id as a number field of a parsed payload (zod), e.g. private_metadata's `cycleId`. */
export const rowIdNumber = z
  .number()
  .refine((n) => readRowId(n) !== null, 'must be an id: a whole number from 1 to 2^53 − 1');
