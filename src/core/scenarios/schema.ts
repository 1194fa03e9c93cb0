/**
 * The zod shapes of a scenario's assumptions, of the stress test's sampling and of the cash
 * settings, as they appear in plan files (docs/plan-format.md, "Scenarios") and as planners
 * store them per cycle with `/sop scenario set`.
 */
import { z } from 'zod';

const period = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be a month in YYYY-MM form' });
const pct = z.number().finite().min(-100, { message: 'must be at least -100 (%)' });
const share = z.number().finite().min(0).max(100);

const range = { from: period.optional(), to: period.optional() };

/** The longest scenario label (shown on the grid and the vote's buttons). */
export const MAX_SCENARIO_LABEL_CHARS = 40;

/**
 * A scenario's name: one lower-case word of letters, digits and dashes, a letter first, at most
 * 30 characters (`central`, `cash-first`); its label is what people read.
 */
export const SCENARIO_NAME = /^[a-z][a-z0-9-]{0,29}$/;

export const scenarioAssumptionsSchema = z
  .object({
    name: z.string().regex(SCENARIO_NAME, { message: 'must be a short lower-case name' }),
    label: z.string().min(1).max(MAX_SCENARIO_LABEL_CHARS),
    demandMultiplier: z
      .number()
      .finite()
      .positive()
      .optional()
      .describe('Multiplies every family’s planned demand (1 = the consensus).'),
    familyMultipliers: z.record(z.string(), z.number().finite().nonnegative()).optional(),
    demandChanges: z
      .array(z.object({ family: z.string().nullable().optional(), pct, ...range }).strict())
      .optional()
      .describe('Uplifts by family and month range, in percent, on the planned demand.'),
    capacityChanges: z.array(z.object({ resource: z.string(), pct, ...range }).strict()).optional(),
    overtime: z.boolean().optional().describe('Overtime allowed; absent: as in the problem.'),
    overtimeCapPct: share
      .optional()
      .describe('Overtime allowed, as a percentage of each resource’s overtime limit.'),
    subcontracting: z.boolean().optional(),
    subcontractCapPct: share
      .optional()
      .describe('Most units bought outside per family and month, as % of its planned demand.'),
    priceChangePct: pct.optional(),
    priceChanges: z
      .array(z.object({ family: z.string().nullable().optional(), pct }).strict())
      .optional(),
    promotion: z
      .object({
        pricePct: pct.describe('Price change while the promotion runs, in percent.'),
        upliftPct: z
          .number()
          .finite()
          .min(0)
          .describe('Demand the promotion is expected to add, in percent (the stress test).'),
      })
      .strict()
      .optional(),
    capacityInvestment: z
      .object({
        resource: z
          .string()
          .nullable()
          .default(null)
          .describe('Resource code; null: the most loaded resource of the plan.'),
        sizePct: z.number().finite().positive().describe('Capacity added, % of regular capacity.'),
        cost: z
          .number()
          .finite()
          .nonnegative()
          .optional()
          .describe(
            'Paid once, in its first month; default: 6 months of the size at overtime cost.',
          ),
        from: period.optional().describe('First month with the capacity; default: month 4.'),
      })
      .strict()
      .optional(),
    stockCoverDays: z
      .number()
      .finite()
      .nonnegative()
      .optional()
      .describe('Safety stock of every family, in days of its planned demand.'),
    hiringFreeze: z.boolean().optional(),
    strategy: z.enum(['optimal', 'chase', 'level']).optional(),
  })
  .strict();

/**
 * A cap on a supply lever the scenario does not allow: the cap limits nothing, and the
 * scenario says two things at once. One issue per such cap, on the cap's field, saying what to
 * fix. Saving a scenario refuses it; a plan file's or a stored one is read as it is (no
 * overtime, no subcontracting).
 */
export function capsOnLeversNotAllowed(
  a: Pick<
    ScenarioAssumptionsInput,
    'overtime' | 'overtimeCapPct' | 'subcontracting' | 'subcontractCapPct'
  >,
): { readonly path: string; readonly message: string }[] {
  const refused = (lever: string) =>
    `${lever} is not allowed in this scenario, so a cap on it limits nothing: clear the cap, or allow ${lever}`;
  return [
    ...(a.overtime === false && a.overtimeCapPct !== undefined
      ? [{ path: 'overtimeCapPct', message: refused('overtime') }]
      : []),
    ...(a.subcontracting === false && a.subcontractCapPct !== undefined
      ? [{ path: 'subcontractCapPct', message: refused('subcontracting') }]
      : []),
  ];
}

export const stressSettingsSchema = z
  .object({
    samples: z.number().int().min(1).max(5000).default(500),
    seed: z.number().int().min(0).default(1),
    /** Months held to the plan (frozen + slushy zones); the rest is replanned. */
    fixedMonths: z.number().int().min(0).optional(),
  })
  .strict();

export const cashSettingsSchema = z
  .object({
    dsoDays: z.number().finite().min(0).max(365).default(45),
    dpoDays: z.number().finite().min(0).max(365).default(30),
    coverMonths: z
      .number()
      .finite()
      .positive()
      .default(3)
      .describe('Stock beyond this many months of forward demand is excess.'),
  })
  .strict();

export type ScenarioAssumptionsInput = z.input<typeof scenarioAssumptionsSchema>;
export type StressSettings = z.output<typeof stressSettingsSchema>;
export type CashSettings = z.output<typeof cashSettingsSchema>;
export const DEFAULT_STRESS: StressSettings = { samples: 500, seed: 1 };
export const DEFAULT_CASH: CashSettings = { dsoDays: 45, dpoDays: 30, coverMonths: 3 };
