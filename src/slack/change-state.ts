/**
 * Reading the /forecast and /capacity modal state (view.state.values) with zod, once, into a
 * ChangeInput. Each missing or malformed field is reported on its own block.
 */
import { z } from 'zod';
import { type ChangeInput, FieldError } from '../services/adjustments.js';
import { ACTION, FIELD_BLOCK, FORECAST_TARGET_ACTION } from './presenters/change-modal.js';

const selected = z
  .object({ selected_option: z.object({ value: z.string() }).nullish() })
  .loose()
  .transform((s) => s.selected_option?.value ?? null);
const typed = z
  .object({ value: z.string().nullish() })
  .loose()
  .transform((s) => s.value?.trim() || null);

const stateSchema = z.record(z.string(), z.record(z.string(), z.unknown()));

const kindSchema = z.enum(['set', 'delta_units', 'delta_pct']);

function pick<T>(
  values: Record<string, Record<string, unknown>>,
  block: string,
  actions: readonly string[],
  schema: z.ZodType<T | null, unknown>,
): T | null {
  const b = values[block];
  if (!b) return null;
  for (const a of actions) {
    if (a in b) {
      const r = schema.safeParse(b[a]);
      return r.success ? r.data : null;
    }
  }
  return null;
}

/** Parses a typed value: "1,200", "-150", "+15", "15%". */
export function parseNumber(s: string): number | null {
  const t = s.replace(/[\s,%]/g, '').replace(/−/g, '-');
  if (!/^[+-]?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

export function inputFromState(raw: unknown): ChangeInput {
  const values = stateSchema.parse(raw ?? {});
  const target = pick(
    values,
    FIELD_BLOCK.target,
    [FORECAST_TARGET_ACTION, ACTION.target],
    selected,
  );
  if (!target) throw new FieldError('target', 'Choose one.');
  const from = pick(values, FIELD_BLOCK.from, [ACTION.from], selected);
  if (!from) throw new FieldError('from', 'Choose the first month.');
  const to = pick(values, FIELD_BLOCK.to, [ACTION.to], selected) ?? from;
  const kind = kindSchema.safeParse(pick(values, FIELD_BLOCK.kind, [ACTION.kind], selected));
  if (!kind.success) throw new FieldError('kind', 'Choose set to, change by units or change by %.');
  const valueText = pick(values, FIELD_BLOCK.value, [ACTION.value], typed);
  if (!valueText) throw new FieldError('value', 'Enter a number.');
  const value = parseNumber(valueText);
  if (value === null)
    throw new FieldError('value', `"${valueText}" is not a number; enter e.g. 1200, -150 or 15.`);
  const reason = pick(values, FIELD_BLOCK.reason, [ACTION.reason], selected);
  if (!reason) throw new FieldError('reason', 'Choose a reason.');
  const comment = pick(values, FIELD_BLOCK.comment, [ACTION.comment], typed);
  return { target, from, to, kind: kind.data, value, reason, comment };
}
