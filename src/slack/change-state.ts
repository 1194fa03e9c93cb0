/**
 * Reading the /forecast and /capacity modal state (view.state.values) with zod, once, into a
 * ChangeInput. Each missing or malformed field is reported on its own block.
 */
import { z } from 'zod';
import type { AdjustmentKind } from '../core/consensus.js';
import {
  decimalCommaAdvice,
  dotThousandsAdvice,
  otherWriting,
  readTypedNumber,
} from '../core/typed-number.js';
import { type ChangeInput, FieldError } from '../services/adjustments.js';
import { noValueAdvice } from './parse-change.js';
import type { ChangeSubject } from './presenters/change.js';
import {
  ACTION,
  FIELD_BLOCK,
  FORECAST_TARGET_ACTION,
  KIND_AMOUNT,
  KIND_LABELS,
} from './presenters/change-modal.js';

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

/**
 * The Value field, read for its kind: a number (readTypedNumber: "1,200" is 1200, "1,5" is
 * refused, and so is "1.200" in units: `dotThousandsAdvice`; "N/A", "(120)", "–120", "$1,200"
 * or "1e3" with what to write instead), with a trailing % only when the
 * kind is a change in %. A % with a kind in units
 * is refused naming that kind, rather than dropped (15% is not 15 units).
 */
function readValue(text: string, kind: AdjustmentKind, subject: ChangeSubject): number {
  const pct = /%\s*$/.test(text);
  if (pct && kind !== 'delta_pct') {
    // What to enter, as every number is written: "–15%" is -15, not "–15".
    const typedUnits = text.replace(/\s*%\s*$/, '');
    const units = otherWriting(typedUnits)?.fix ?? typedUnits;
    const label = KIND_LABELS[subject];
    throw new FieldError(
      'value',
      `"${text}": ${label[kind]} is ${KIND_AMOUNT[subject]}, not %; enter ${units}, or choose ${label.delta_pct}.`,
    );
  }
  const n = readTypedNumber(pct ? text.replace(/\s*%\s*$/, '') : text);
  if (n.kind === 'decimal-comma')
    throw new FieldError('value', `"${text}": ${decimalCommaAdvice(text)}`);
  if (n.kind === 'no-value')
    throw new FieldError('value', noValueAdvice(`"${text}"`, subject, KIND_LABELS[subject].set));
  if (n.kind === 'other-writing') throw new FieldError('value', `"${text}" ${n.message}`);
  if (n.kind === 'not-a-number')
    throw new FieldError('value', `"${text}" is not a number; enter e.g. 1200, -150 or 15.`);
  const dot = kind === 'delta_pct' ? null : dotThousandsAdvice(text, subject === 'forecast');
  if (dot) throw new FieldError('value', `"${text}" ${dot}`);
  return n.value;
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
  // Which form it came from: the family select is the forecast form's own.
  const subject: ChangeSubject =
    FORECAST_TARGET_ACTION in (values[FIELD_BLOCK.target] ?? {}) ? 'forecast' : 'capacity';
  const value = readValue(valueText, kind.data, subject);
  const reason = pick(values, FIELD_BLOCK.reason, [ACTION.reason], selected);
  if (!reason) throw new FieldError('reason', 'Choose a reason.');
  const comment = pick(values, FIELD_BLOCK.comment, [ACTION.comment], typed);
  return { target, from, to, kind: kind.data, value, reason, comment };
}
