/** What a plan lacks, named with the command that fixes it. */
import { describe, expect, it } from 'vitest';
import { missingForPlan } from '../../src/services/company-data.js';

const IMPORT = '`sopbot import all <dir>` (docs/data-format.md)';

describe('missingForPlan', () => {
  it('names what is missing: families, resources, or both', () => {
    expect(missingForPlan({ families: 0, resources: 0 })).toBe(
      `No product families and no resources yet: import them with ${IMPORT}.`,
    );
    expect(missingForPlan({ families: 0, resources: 2 })).toBe(
      `No product families yet: import them with ${IMPORT}.`,
    );
    expect(missingForPlan({ families: 3, resources: 0 })).toBe(
      `No resources yet: import them with ${IMPORT}.`,
    );
  });

  it('is null when there is at least one of each', () => {
    expect(missingForPlan({ families: 1, resources: 1 })).toBeNull();
  });
});
