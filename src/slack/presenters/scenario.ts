/**
 * `/sop scenario`: the list of a cycle's scenarios in words, and the modal that sets one
 * scenario's levers (the plan it commits to: demand, price, overtime, subcontracting, a
 * capacity investment, stock cover, hiring).
 */
import type { types } from '@slack/bolt';
import { formatMoney } from '../../core/number-format.js';
import type { CarryNote } from '../../core/scenarios/carry.js';
import {
  MAX_SCENARIO_LABEL_CHARS,
  scenarioAssumptionsSchema,
} from '../../core/scenarios/schema.js';
import type { ScenarioAssumptions } from '../../core/scenarios.js';
import { readFreeText } from '../../core/text.js';
import { decimalCommaAdvice, readTypedNumber } from '../../core/typed-number.js';
import type { ScenarioCarry } from '../../services/scenario-carry.js';
import type { CycleScenarioList, ScenarioDeleted } from '../../services/scenarios.js';
import { clip, esc, escInMarks, mrkdwn, plain } from './format.js';

export const SCENARIO_CALLBACK = 'scenario_submit';

export interface ScenarioModalMeta {
  readonly cycleId: number;
  readonly month: string;
  readonly name: string;
  readonly channel: string;
  /** The version of the scenario the form opens on (scenarioVersion, src/services/scenarios.ts). */
  readonly seen: string;
}

const signed = (v: number): string => `${v >= 0 ? '+' : ''}${Number(v.toFixed(2))}%`;

/** A change's months as they are typed: "2027-01..2027-03", "2027-04..", "..2027-02"; '' for all. */
function monthWindow(from: string | null | undefined, to: string | null | undefined): string {
  return from || to ? `${from ?? ''}..${to ?? ''}` : '';
}

/** A change by family or resource as a what-if is typed: "demand FAM-1 +5% 2027-04..2027-06". */
function changeText(
  lever: 'demand' | 'capacity' | 'price',
  target: string | null | undefined,
  pct: number,
  from?: string | null,
  to?: string | null,
): string {
  return `${lever} ${target ?? 'all'} ${signed(pct)} ${monthWindow(from, to)}`.trim();
}

const STRATEGY_TEXT: Readonly<Record<string, string>> = {
  chase: 'a chase strategy (production follows demand)',
  level: 'a level strategy (even production)',
};

/**
 * Each lever `a` sets, in plain words, but the demand it plans for overall (scenarioSummary
 * starts with that). The list writes a whole scenario with it; the modal, the levers it has no
 * field for. A lever left out here is one planners cannot see.
 */
export function leverParts(a: Partial<ScenarioAssumptions>): string[] {
  const parts: string[] = [];
  for (const [family, m] of Object.entries(a.familyMultipliers ?? {}))
    parts.push(`${family} planned at the consensus${m === 1 ? '' : ` ${signed((m - 1) * 100)}`}`);
  for (const d of a.demandChanges ?? [])
    parts.push(changeText('demand', d.family, d.pct, d.from, d.to));
  if (a.promotion)
    parts.push(
      `a promotion (price ${signed(a.promotion.pricePct)}, expected demand ${signed(a.promotion.upliftPct)})`,
    );
  if (a.priceChangePct) parts.push(`price ${signed(a.priceChangePct)}`);
  for (const p of a.priceChanges ?? []) parts.push(changeText('price', p.family, p.pct));
  if (a.overtime === false) parts.push('no overtime');
  else if (a.overtimeCapPct !== undefined)
    parts.push(`overtime up to ${a.overtimeCapPct}% of its limit`);
  else if (a.overtime) parts.push('overtime allowed');
  if (a.subcontracting === false) parts.push('no subcontracting');
  else if (a.subcontractCapPct !== undefined)
    parts.push(`subcontracting up to ${a.subcontractCapPct}% of demand`);
  else if (a.subcontracting) parts.push('subcontracting allowed');
  for (const c of a.capacityChanges ?? [])
    parts.push(changeText('capacity', c.resource, c.pct, c.from, c.to));
  const inv = a.capacityInvestment;
  if (inv)
    parts.push(
      `+${inv.sizePct}% capacity on ${inv.resource ?? 'the most loaded resource'}${inv.from ? ` from ${inv.from}` : ''}${inv.cost === undefined ? '' : ` for ${formatMoney(inv.cost)}`}`,
    );
  if (a.stockCoverDays !== undefined)
    parts.push(
      `stock targets of ${a.stockCoverDays} day${a.stockCoverDays === 1 ? '' : 's'} of cover`,
    );
  if (a.hiringFreeze) parts.push('a hiring freeze');
  const strategy = a.strategy && STRATEGY_TEXT[a.strategy];
  if (strategy) parts.push(strategy);
  return parts;
}

/** One scenario's levers in one line of plain words. */
export function scenarioSummary(a: ScenarioAssumptions): string {
  const m = a.demandMultiplier ?? 1;
  return [
    m === 1 ? 'plans for the consensus' : `plans for the consensus ${signed((m - 1) * 100)}`,
    ...leverParts(a),
  ].join(', ');
}

export function scenarioListText(
  month: string,
  list: Pick<CycleScenarioList, 'scenarios' | 'defaults' | 'carriedFrom'>,
): string {
  const head = list.defaults
    ? `Scenarios of ${month} (the defaults; \`/sop scenario set &lt;name&gt;\` changes one):`
    : list.carriedFrom
      ? `Scenarios of ${month} (carried from ${list.carriedFrom}; \`/sop scenario set &lt;name&gt;\` changes one, \`/sop scenario reset\` goes back to the defaults):`
      : `Scenarios of ${month} (set for this cycle; \`/sop scenario reset\` goes back to the defaults):`;
  return clip(
    [
      head,
      ...list.scenarios.map(
        (s) => `• *${escInMarks(s.label)}* (\`${s.name}\`): ${esc(scenarioSummary(s))}.`,
      ),
    ].join('\n'),
    3000,
  );
}

/**
 * The answer to `/sop scenario delete`: the one deleted, which now comes first when it did
 * (the others are compared with the first), then the list.
 */
export function scenarioDeletedText(month: string, list: ScenarioDeleted): string {
  const first = list.wasFirst ? list.scenarios[0] : undefined;
  return [
    `Deleted *${escInMarks(list.deleted.label)}* (\`${list.deleted.name}\`); the next plan run goes without it.${first ? ` *${escInMarks(first.label)}* comes first now, so the other scenarios are compared with it.` : ''}`,
    scenarioListText(month, list),
  ].join('\n');
}

/** What changed in one scenario as it was carried (src/core/scenarios/carry.ts). */
function carryNoteText(n: CarryNote): string {
  if (n.kind === 'investment-start-passed')
    return `its capacity investment was to start in ${n.was}, which has passed: it now starts in ${n.now}, the default month (the fourth planned, or the last of a shorter plan)`;
  return `its ${n.lever} change ${n.target ?? 'all'} ${signed(n.pct)} ${monthWindow(n.from, n.to)} is over, so it was dropped`;
}

/**
 * The line of the cycle-start answer about the previous cycle's scenarios: how many came from
 * which month and where to see or undo them, then what changed on the way and what stayed
 * behind. Labels and codes are people's text: escaped.
 */
export function carriedScenariosText(c: ScenarioCarry): string {
  const n = c.carried;
  const lines = [
    n > 0
      ? `${n} ${n === 1 ? 'scenario' : 'scenarios'} carried from ${c.from} (\`/sop scenario list\`; \`/sop scenario reset\` returns to the defaults).`
      : `No scenario could be carried from ${c.from}: this cycle starts on the defaults (\`/sop scenario list\`).`,
    ...c.changed.map(
      (s) => `• *${escInMarks(s.label)}*: ${esc(s.notes.map(carryNoteText).join('; '))}.`,
    ),
    ...c.leftBehind.map(
      (s) =>
        `• *${escInMarks(s.label)}* (\`${s.name}\`) was not carried: ${esc(s.issues.map((i) => i.message).join('; '))}. Set it again with \`/sop scenario set ${s.name}\`.`,
    ),
    ...(c.referenceNow
      ? [
          `• *${escInMarks(c.referenceNow)}* comes first now, so the other scenarios are compared with it.`,
        ]
      : []),
  ];
  return clip(lines.join('\n'), 3000);
}

const text = (
  block: string,
  label: string,
  initial: string | undefined,
  hint: string,
  optional = true,
): types.KnownBlock => ({
  type: 'input',
  block_id: block,
  optional,
  label: plain(label),
  hint: plain(hint),
  element: {
    type: 'plain_text_input',
    action_id: 'v',
    ...(initial !== undefined && initial !== '' ? { initial_value: initial } : {}),
  },
});

const choice = (
  block: string,
  label: string,
  options: readonly [string, string][],
  initial: string,
): types.KnownBlock => {
  const opts = options.map(([value, t]) => ({ text: plain(t), value }));
  return {
    type: 'input',
    block_id: block,
    label: plain(label),
    element: {
      type: 'static_select',
      action_id: 'v',
      options: opts,
      initial_option: opts.find((o) => o.value === initial) ?? opts[0]!,
    },
  };
};

/** The company's own settings for each supply lever, as the form offers them. */
const COMPANY_SETTING: Readonly<Record<'overtime' | 'subcontracting', string>> = {
  overtime: 'As the company’s settings (each resource’s overtime limit)',
  subcontracting: 'As the company’s settings (each family’s subcontract cost and limit)',
};

/** The form's value of a lever's three states: unset (the company's settings), on, off. */
const LEVER_VALUE = { company: 'company', on: 'on', off: 'off' } as const;

/**
 * A supply lever in its three states: as the company's settings (the scenario says nothing of
 * it), "Allowed" or "Not allowed"; the one the scenario holds is picked, so saving an untouched
 * form changes nothing.
 */
const leverChoice = (
  lever: 'overtime' | 'subcontracting',
  label: string,
  allowed: boolean | undefined,
): types.KnownBlock => {
  const options = [
    { text: plain(COMPANY_SETTING[lever]), value: LEVER_VALUE.company },
    { text: plain('Allowed'), value: LEVER_VALUE.on },
    { text: plain('Not allowed'), value: LEVER_VALUE.off },
  ];
  const initial =
    allowed === undefined ? LEVER_VALUE.company : allowed ? LEVER_VALUE.on : LEVER_VALUE.off;
  return {
    type: 'input',
    block_id: lever,
    label: plain(label),
    element: {
      type: 'radio_buttons',
      action_id: 'v',
      options,
      initial_option: options.find((o) => o.value === initial)!,
    },
  };
};

/** The lever's state as the form was answered: undefined for the company's settings. */
const leverOf = (picked: string): boolean | undefined =>
  picked === LEVER_VALUE.on ? true : picked === LEVER_VALUE.off ? false : undefined;

/**
 * The demand planned as the form shows it (% vs the consensus) and as it stores it (a
 * multiplier), each without the binary noise of the other's arithmetic, so a percentage as
 * typed (33.333333) is shown as typed and an untouched form saves the multiplier it opened on.
 */
const planPct = (multiplier: number): number => Number(((multiplier - 1) * 100).toPrecision(12));
const planMultiplier = (pct: number): number => Number((1 + pct / 100).toPrecision(15));

const str = (v: number | undefined): string | undefined =>
  v === undefined ? undefined : String(v);

/** The block of the box that drops the levers the form keeps (`KEPT_DROP` when ticked). */
const KEPT_BLOCK = 'kept';
const KEPT_DROP = 'drop';

/**
 * The levers of `a` shown read-only, with a box to drop them: the form has no input for them,
 * so it keeps them as they are unless the box is ticked. None: no block.
 */
function keptBlocks(a: ScenarioAssumptions | null): types.KnownBlock[] {
  const kept = a ? leverParts(formlessLevers(a)) : [];
  if (kept.length === 0) return [];
  return [
    {
      type: 'section',
      block_id: 'kept_levers',
      text: mrkdwn(
        clip(`*Also in this scenario*, unchanged by this form: ${esc(kept.join('; '))}.`, 3000),
      ),
    },
    {
      type: 'input',
      block_id: KEPT_BLOCK,
      optional: true,
      label: plain('The levers above'),
      element: {
        type: 'checkboxes',
        action_id: 'v',
        options: [{ text: plain('Drop them from this scenario when saving'), value: KEPT_DROP }],
      },
    },
  ];
}

export function scenarioModal(meta: ScenarioModalMeta, a: ScenarioAssumptions | null): types.View {
  const m = a?.demandMultiplier;
  const inv = a?.capacityInvestment;
  return {
    type: 'modal',
    callback_id: SCENARIO_CALLBACK,
    private_metadata: JSON.stringify(meta),
    title: plain(clip(`Scenario ${meta.name}`, 24)),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'context',
        elements: [
          mrkdwn(
            'A scenario is a plan the company would commit to: what demand it plans for and how supply answers. The next plan run plays it against the same uncertain demand as the others.',
          ),
        ],
      },
      ...keptBlocks(a),
      text('label', 'Label', a?.label ?? meta.name, 'Shown on the grid and the vote.', false),
      text(
        'plan_pct',
        'Demand planned vs consensus (%)',
        m === undefined ? undefined : String(planPct(m)),
        'e.g. -10 or 15; blank: the consensus.',
      ),
      text(
        'price_pct',
        'Price change (%)',
        str(a?.promotion?.pricePct ?? a?.priceChangePct),
        // Beside a price change the form keeps (keptBlocks), the input is the promotion's.
        a?.promotion && a.priceChangePct
          ? 'The promotion’s price; the price change listed above stays as it is.'
          : 'e.g. -3 for a promotion.',
      ),
      text(
        'uplift_pct',
        'Promotion: demand it brings (%)',
        str(a?.promotion?.upliftPct),
        'What the promotion is expected to add to real demand; blank: none.',
      ),
      leverChoice('overtime', 'Overtime', a?.overtime),
      text(
        'overtime_cap',
        'Overtime cap (% of each limit)',
        str(a?.overtimeCapPct),
        'blank: up to the limits.',
      ),
      leverChoice('subcontracting', 'Subcontracting', a?.subcontracting),
      text(
        'subcontract_cap',
        'Subcontracting cap (% of demand)',
        str(a?.subcontractCapPct),
        'Per family and month; blank: the suppliers’ limits.',
      ),
      text(
        'invest_size',
        'Capacity investment (% of capacity)',
        str(inv?.sizePct),
        'blank: no investment.',
      ),
      text(
        'invest_resource',
        'Investment: resource',
        inv?.resource ?? undefined,
        'Code, e.g. LINE-1; blank: the most loaded.',
      ),
      text(
        'invest_cost',
        'Investment: one-off cost',
        str(inv?.cost),
        'blank: 6 months of it at overtime cost.',
      ),
      text(
        'invest_from',
        'Investment: first month (YYYY-MM)',
        inv?.from,
        'blank: the fourth plan month.',
      ),
      text(
        'cover_days',
        'Stock targets (days of cover)',
        str(a?.stockCoverDays),
        'blank: each family’s safety stock.',
      ),
      choice(
        'hiring',
        'Hiring',
        [
          ['open', 'Allowed'],
          ['freeze', 'Frozen'],
        ],
        a?.hiringFreeze ? 'freeze' : 'open',
      ),
    ],
  };
}

/** The form's input for each scenario field it sets (an assumption's path, as the service names it). */
const BLOCK_OF_FIELD: Readonly<Record<string, string>> = {
  label: 'label',
  demandMultiplier: 'plan_pct',
  priceChangePct: 'price_pct',
  'promotion.pricePct': 'price_pct',
  promotion: 'uplift_pct',
  'promotion.upliftPct': 'uplift_pct',
  overtime: 'overtime',
  overtimeCapPct: 'overtime_cap',
  subcontracting: 'subcontracting',
  subcontractCapPct: 'subcontract_cap',
  capacityInvestment: 'invest_size',
  'capacityInvestment.sizePct': 'invest_size',
  'capacityInvestment.resource': 'invest_resource',
  'capacityInvestment.cost': 'invest_cost',
  'capacityInvestment.from': 'invest_from',
  stockCoverDays: 'cover_days',
  hiringFreeze: 'hiring',
};

/** The scenario's fields the form has an input for (and the name it opens on). */
const FORM_FIELDS: ReadonlySet<string> = new Set([
  'name',
  ...Object.keys(BLOCK_OF_FIELD).filter((f) => !f.includes('.')),
]);

/** The levers a form keeps (formlessLevers) whose path `path` is in, by its first part. */
const isKeptPath = (path: string): boolean => {
  const field = path.split('.')[0] ?? '';
  return field in scenarioAssumptionsSchema.shape && !FORM_FIELDS.has(field);
};

/**
 * The levers of `a` the form has no input for: month windows of demand and capacity, prices by
 * family, a family's own plan, a strategy, and any lever the schema gains; and a plain price
 * change beside a promotion (the price input shows the promotion's). The form shows them
 * read-only and keeps them as they are when it saves.
 */
export function formlessLevers(a: ScenarioAssumptions): Partial<ScenarioAssumptions> {
  return Object.fromEntries(
    Object.entries(a).filter(
      ([field]) =>
        !FORM_FIELDS.has(field) || (field === 'priceChangePct' && a.promotion !== undefined),
    ),
  ) as Partial<ScenarioAssumptions>;
}

/**
 * The service's issues with a scenario as the form's field errors (block id → message), or
 * null when one of them concerns no input of the form (then the form cannot show it there).
 * An issue in a lever the form keeps goes on the box that drops them.
 */
export function scenarioFieldErrors(
  issues: readonly { readonly path: string; readonly message: string }[],
): Record<string, string> | null {
  const errors: Record<string, string> = {};
  for (const i of issues) {
    const kept = isKeptPath(i.path);
    const block = BLOCK_OF_FIELD[i.path] ?? (kept ? KEPT_BLOCK : undefined);
    if (!block) return null;
    const message = `${i.message.charAt(0).toUpperCase()}${i.message.slice(1)}.${kept ? ' Or tick the box to save the scenario without the levers above.' : ''}`;
    errors[block] = errors[block] ? `${errors[block]} ${message}` : message;
  }
  return errors;
}

export type ScenarioStateValues = Record<
  string,
  Record<
    string,
    {
      value?: string | null;
      selected_option?: { value: string } | null;
      selected_options?: readonly { value: string }[] | null;
    }
  >
>;

/**
 * The modal's answers as scenario assumptions, or field errors by block id; `dropKept` when the
 * box that drops the levers the form keeps is ticked.
 */
export function parseScenarioState(
  name: string,
  values: ScenarioStateValues,
): {
  readonly input: Record<string, unknown> | null;
  readonly errors: Record<string, string>;
  readonly dropKept: boolean;
} {
  const dropKept = (values[KEPT_BLOCK]?.v?.selected_options ?? []).some(
    (o) => o.value === KEPT_DROP,
  );
  const errors: Record<string, string> = {};
  const raw = (b: string): string => (values[b]?.v?.value ?? '').trim();
  const pick = (b: string): string => values[b]?.v?.selected_option?.value ?? '';
  /**
   * A number field; `notPct` names what a field not in % counts (a % there is refused, not
   * dropped: 30% is not 30 days of cover), with what to enter instead.
   */
  const num = (
    b: string,
    min: number,
    max: number,
    notPct?: { readonly unit: string; readonly enter: (n: string) => string },
  ): number | undefined => {
    const pct = /^(.*?)\s*%$/.exec(raw(b));
    if (pct && notPct) {
      errors[b] = `'${raw(b)}': ${notPct.unit}, not %; ${notPct.enter(pct[1] ?? '')}.`;
      return undefined;
    }
    const s = pct ? (pct[1] ?? '') : raw(b);
    if (s === '') return undefined;
    const n = readTypedNumber(s);
    if (n.kind === 'decimal-comma') errors[b] = `'${raw(b)}': ${decimalCommaAdvice(raw(b))}`;
    else if (n.kind === 'other-writing') errors[b] = `'${raw(b)}' ${n.message}`;
    else if (n.kind === 'no-value')
      errors[b] = `'${raw(b)}' is no number: leave the field empty to leave it out.`;
    else if (n.kind === 'not-a-number') errors[b] = `'${raw(b)}' is not a number.`;
    else if (n.value < min || n.value > max) errors[b] = `Must be between ${min} and ${max}.`;
    return n.kind === 'number' ? n.value : undefined;
  };
  // Free text: control characters removed (Postgres refuses NUL in JSONB), then bounded.
  const typedLabel = readFreeText(
    'The label',
    values.label?.v?.value ?? '',
    MAX_SCENARIO_LABEL_CHARS,
  );
  const label = typedLabel.ok ? typedLabel.text : '';
  if (!typedLabel.ok) errors.label = typedLabel.message;
  else if (!label) errors.label = 'Give the scenario a label.';
  const plan = num('plan_pct', -90, 300);
  const price = num('price_pct', -90, 300);
  const uplift = num('uplift_pct', 0, 300);
  const otCap = num('overtime_cap', 0, 100);
  const subCap = num('subcontract_cap', 0, 100);
  const size = num('invest_size', 0, 500);
  const cost = num('invest_cost', 0, 1e12, {
    unit: 'the one-off cost is an amount of money',
    enter: () => 'enter the amount, e.g. 250000',
  });
  const cover = num('cover_days', 0, 365, {
    unit: 'stock targets are in days of cover',
    enter: (n) => `enter ${n} for ${n} day${n === '1' ? '' : 's'}`,
  });
  const from = raw('invest_from');
  if (from && !/^\d{4}-(0[1-9]|1[0-2])$/.test(from)) errors.invest_from = 'A month as YYYY-MM.';
  const resource = raw('invest_resource');
  if ((resource || cost !== undefined || from) && !size)
    errors.invest_size = 'Say how much capacity the investment adds.';
  if (Object.keys(errors).length) return { input: null, errors, dropKept };
  const input: Record<string, unknown> = { name, label };
  if (plan !== undefined && plan !== 0) input.demandMultiplier = planMultiplier(plan);
  if (uplift !== undefined) input.promotion = { pricePct: price ?? 0, upliftPct: uplift };
  else if (price !== undefined && price !== 0) input.priceChangePct = price;
  const overtime = leverOf(pick('overtime'));
  if (overtime !== undefined) input.overtime = overtime;
  if (otCap !== undefined) input.overtimeCapPct = otCap;
  const subcontracting = leverOf(pick('subcontracting'));
  if (subcontracting !== undefined) input.subcontracting = subcontracting;
  if (subCap !== undefined) input.subcontractCapPct = subCap;
  if (size)
    input.capacityInvestment = {
      resource: resource || null,
      sizePct: size,
      ...(cost === undefined ? {} : { cost }),
      ...(from ? { from } : {}),
    };
  if (cover !== undefined) input.stockCoverDays = cover;
  if (pick('hiring') === 'freeze') input.hiringFreeze = true;
  return { input, errors, dropKept };
}
