/**
 * What a plan needs before it can be made: at least one active product family and one
 * active resource. A newcomer's first cycle has neither until the company's CSVs are
 * imported; the plan, the what-if and the cycle's start say so with the command that fixes
 * it, instead of solving nothing.
 */
import type { Db } from '../../db/connect.js';
import { activeCompanyCounts } from '../../db/queries/codes.js';
import { SopError } from '../errors.js';

const IMPORT_ALL = '`sopbot import all <dir>` (docs/data-format.md)';

export const NO_FAMILIES = `No product families yet: import them with ${IMPORT_ALL}.`;
export const NO_RESOURCES = `No resources yet: import them with ${IMPORT_ALL}.`;
export const NO_COMPANY = `No product families and no resources yet: import them with ${IMPORT_ALL}.`;

/** The sentence naming what a plan lacks, or null when it has families and resources. */
export function missingForPlan(counts: {
  readonly families: number;
  readonly resources: number;
}): string | null {
  if (counts.families === 0 && counts.resources === 0) return NO_COMPANY;
  if (counts.families === 0) return NO_FAMILIES;
  if (counts.resources === 0) return NO_RESOURCES;
  return null;
}

/** A plan asked for before the company's data is in: no retry can make one. */
export class MissingCompanyDataError extends SopError {
  constructor(message: string) {
    super('not_found', message);
    this.name = 'MissingCompanyDataError';
  }
}

/** What the company lacks for a plan (a sentence with the fix), or null. */
export async function companyDataGap(db: Db): Promise<string | null> {
  return missingForPlan(await activeCompanyCounts(db));
}

/** What `/forecast` or `/capacity` has nothing to offer without: families, or resources. */
export const NOTHING_TO_CHANGE: Readonly<Record<'forecast' | 'capacity', string>> = {
  forecast: `There is no product family to adjust yet: import them with ${IMPORT_ALL}.`,
  capacity: `There is no resource to update yet: import them with ${IMPORT_ALL}.`,
};

/**
 * The sentence for a `/forecast` or `/capacity` form that would have nothing to pick (no
 * active family, or no active resource), or null when there is something.
 */
export async function nothingToChange(
  db: Db,
  subject: 'forecast' | 'capacity',
): Promise<string | null> {
  const counts = await activeCompanyCounts(db);
  const n = subject === 'forecast' ? counts.families : counts.resources;
  return n === 0 ? NOTHING_TO_CHANGE[subject] : null;
}
