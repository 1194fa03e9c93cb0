/**
 * The /forecast and /capacity modals. One builder for both: the target (family or resource),
 * the months, the kind of change, the value, the reason and a comment. Block and action ids
 * are stable so views.update keeps what the user typed.
 */
import type { types } from '@slack/bolt';
import type { AdjustmentKind } from '../../core/consensus.js';
import { readRowId } from '../../row-id.js';
import type { ChangeField, ChangeOutcome } from '../../services/adjustments.js';
import type { DemandViewRow } from '../../services/demand-view.js';
import { alsoOpenText, beforeAfterTable, type ChangeSubject } from './change.js';
import { clip, esc, escInMarks, fmtQty, mrkdwn, plain } from './format.js';

/** Fields → block ids (errors are shown on the block). */
export const FIELD_BLOCK: Readonly<Record<ChangeField, string>> = {
  target: 'target',
  from: 'from',
  to: 'to',
  kind: 'kind',
  value: 'value',
  reason: 'reason',
  comment: 'comment',
};
export const ACTION = {
  target: 'target_pick',
  from: 'from_pick',
  to: 'to_pick',
  kind: 'kind_pick',
  value: 'value_input',
  reason: 'reason_pick',
  comment: 'comment_input',
} as const;

export const CALLBACK: Readonly<Record<ChangeSubject, string>> = {
  forecast: 'forecast_submit',
  capacity: 'capacity_submit',
};
/** The family select dispatches this action (the modal then shows the family's demand). */
export const FORECAST_TARGET_ACTION = 'forecast_target_pick';
export const NO_CHANGE_ACTION = 'forecast_no_change';
/** The target select's action id per modal: also what its external select's options requests name. */
export const TARGET_ACTION: Readonly<Record<ChangeSubject, string>> = {
  forecast: FORECAST_TARGET_ACTION,
  capacity: ACTION.target,
};

/**
 * The kinds of change as each form names them. A family's forecast is in units; a resource's
 * capacity is in its own unit (hours for a line or a workforce, units or another for a
 * supplier or storage), and the capacity form does not know the resource until one is picked,
 * so it names the unit neutrally.
 */
export const KIND_LABELS: Readonly<
  Record<ChangeSubject, Readonly<Record<AdjustmentKind, string>>>
> = {
  forecast: {
    set: 'Set to (units)',
    delta_units: 'Change by units (+/-)',
    delta_pct: 'Change by % (+/-)',
  },
  capacity: {
    set: "Set to (in the resource's unit)",
    delta_units: "Change by (+/-, in the resource's unit)",
    delta_pct: 'Change by % (+/-)',
  },
};

/** What a kind other than % is counted in, as a refusal of a typed % says it. */
export const KIND_AMOUNT: Readonly<Record<ChangeSubject, string>> = {
  forecast: 'in units',
  capacity: "in the resource's unit",
};

/** The Value field's hint per form. */
const VALUE_HINT: Readonly<Record<ChangeSubject, string>> = {
  forecast: 'Units or percent, e.g. 1200, -150 or 15',
  capacity:
    "In the resource's unit (hours for a line or a workforce) or percent, e.g. 1200, -150 or 15",
};

export interface ModalMeta {
  readonly cycleId: number;
  /** Where the command was typed (for the confirmation), if known. */
  readonly channelId: string | null;
}

export interface TargetOption {
  readonly code: string;
  readonly name: string;
}

export interface ChangeModalData {
  readonly subject: ChangeSubject;
  readonly meta: ModalMeta;
  readonly cycleMonth: string;
  /** Options grouped: the member's own first ("Your families"), then the rest. */
  readonly own: readonly TargetOption[];
  readonly others: readonly TargetOption[];
  /** More than a static select holds: use an external select that searches. */
  readonly external: boolean;
  readonly horizon: readonly string[];
  readonly reasons: readonly string[];
  readonly thresholdPct: number;
  readonly selected?: TargetOption | undefined;
  readonly demand?: readonly DemandViewRow[] | undefined;
  /** The form of a member who may declare no change (a sales rep, `forecast.no-change`) offers it. */
  readonly offerNoChange?: boolean;
}

const option = (text: string, value: string): types.PlainTextOption => ({
  text: plain(clip(text, 75)),
  value: clip(value, 75),
});
export const targetOption = (t: TargetOption) => option(`${t.code} — ${t.name}`, t.code);
const monthOption = (p: string) => option(p, p);
const reasonOption = (r: string) => {
  const label = r.replace(/_/g, ' ');
  return option(label.charAt(0).toUpperCase() + label.slice(1), r);
};

export function encodeMeta(m: ModalMeta): string {
  return JSON.stringify({ c: m.cycleId, ch: m.channelId });
}

export function decodeMeta(s: string | undefined): ModalMeta | null {
  try {
    const v = JSON.parse(s ?? '') as { c?: unknown; ch?: unknown };
    if (typeof v.c !== 'number' || readRowId(v.c) === null) return null;
    return { cycleId: v.c, channelId: typeof v.ch === 'string' ? v.ch : null };
  } catch {
    return null;
  }
}

/**
 * A group's label; when it shows only the first `shown` of its `total` (Slack's 100 options),
 * it says so and that typing narrows the list, so a family past the cut is not taken for one
 * that does not exist.
 */
function groupLabel(name: string, shown: number, total: number): types.PlainTextElement {
  return plain(shown < total ? `${name}: ${shown} of ${total} shown, type to narrow` : name);
}

/** Groups for a target select; "Your families" first. Each group and the total stay ≤ 100. */
export function targetGroups(
  subject: ChangeSubject,
  own: readonly TargetOption[],
  others: readonly TargetOption[],
): { label: types.PlainTextElement; options: types.PlainTextOption[] }[] {
  const ownCodes = new Set(own.map((o) => o.code));
  const rest = others.filter((o) => !ownCodes.has(o.code));
  const groups: { label: types.PlainTextElement; options: types.PlainTextOption[] }[] = [];
  const mine = own.slice(0, 100);
  if (mine.length)
    groups.push({
      label: groupLabel(
        subject === 'forecast' ? 'Your families' : 'Your resources',
        mine.length,
        own.length,
      ),
      options: mine.map(targetOption),
    });
  const room = 100 - mine.length;
  const shown = rest.slice(0, room);
  if (shown.length)
    groups.push({
      label: groupLabel(
        subject === 'forecast' ? 'All families' : 'All resources',
        shown.length,
        rest.length,
      ),
      options: shown.map(targetOption),
    });
  return groups;
}

function demandTable(rows: readonly DemandViewRow[]): string {
  const lines = rows.map((r) => {
    const flag = r.zone === 'frozen' ? ' frozen' : r.zone === 'slushy' ? ' slushy' : '';
    const base = r.baseline === null ? '—' : fmtQty(r.baseline);
    return `${r.period} ${base.padStart(9)} ${fmtQty(r.consensus).padStart(10)}${flag}`;
  });
  return `\`\`\`Month      Baseline  Consensus\n${lines.join('\n')}\`\`\``;
}

export function demandBlocks(t: TargetOption, rows: readonly DemandViewRow[]): types.KnownBlock[] {
  const noBaseline = rows.every((r) => r.baseline === null);
  return [
    {
      type: 'section',
      block_id: 'demand_table',
      text: mrkdwn(
        clip(`*${escInMarks(t.code)}* — ${esc(clip(t.name, 200))}\n${demandTable(rows)}`, 3000),
      ),
    },
    {
      type: 'context',
      block_id: 'demand_note',
      elements: [
        mrkdwn(
          noBaseline
            ? 'No statistical baseline for this cycle yet: the consensus is built from adjustments only.'
            : 'Frozen months need an executive; slushy months are accepted and flagged for review.',
        ),
      ],
    },
  ];
}

export function changeModal(d: ChangeModalData): types.ModalView {
  const forecast = d.subject === 'forecast';
  const targetLabel = forecast ? 'Product family' : 'Resource';
  const kinds = KIND_LABELS[d.subject];
  const actionId = TARGET_ACTION[d.subject];
  const initialOption = d.selected ? targetOption(d.selected) : undefined;
  let targetElement: types.StaticSelect | types.ExternalSelect;
  if (d.external) {
    const el: types.ExternalSelect = {
      type: 'external_select',
      action_id: actionId,
      placeholder: plain(`Search ${forecast ? 'families' : 'resources'}`),
      min_query_length: 0,
    };
    if (initialOption) el.initial_option = initialOption;
    targetElement = el;
  } else {
    const el: types.StaticSelect = {
      type: 'static_select',
      action_id: actionId,
      placeholder: plain(`Choose a ${forecast ? 'family' : 'resource'}`),
      option_groups: targetGroups(d.subject, d.own, d.others),
    };
    if (initialOption) el.initial_option = initialOption;
    targetElement = el;
  }
  const blocks: types.KnownBlock[] = [
    {
      type: 'input',
      block_id: FIELD_BLOCK.target,
      dispatch_action: forecast,
      label: plain(targetLabel),
      element: targetElement,
    },
  ];
  if (forecast && d.selected && d.demand) blocks.push(...demandBlocks(d.selected, d.demand));
  blocks.push(
    {
      type: 'input',
      block_id: FIELD_BLOCK.from,
      label: plain('From month'),
      element: {
        type: 'static_select',
        action_id: ACTION.from,
        options: d.horizon.slice(0, 100).map(monthOption),
      },
    },
    {
      type: 'input',
      block_id: FIELD_BLOCK.to,
      optional: true,
      label: plain('To month (leave empty for one month)'),
      element: {
        type: 'static_select',
        action_id: ACTION.to,
        options: d.horizon.slice(0, 100).map(monthOption),
      },
    },
    {
      type: 'input',
      block_id: FIELD_BLOCK.kind,
      label: plain('Kind of change'),
      element: {
        type: 'static_select',
        action_id: ACTION.kind,
        initial_option: option(kinds.delta_pct, 'delta_pct'),
        options: (Object.keys(kinds) as AdjustmentKind[]).map((k) => option(kinds[k], k)),
      },
    },
    {
      type: 'input',
      block_id: FIELD_BLOCK.value,
      label: plain('Value'),
      hint: plain(VALUE_HINT[d.subject]),
      element: { type: 'plain_text_input', action_id: ACTION.value, max_length: 20 },
    },
    {
      type: 'input',
      block_id: FIELD_BLOCK.reason,
      label: plain('Reason'),
      element: {
        type: 'static_select',
        action_id: ACTION.reason,
        options: d.reasons.map(reasonOption),
      },
    },
    {
      type: 'input',
      block_id: FIELD_BLOCK.comment,
      optional: true,
      label: plain('Comment'),
      hint: plain(`Required for "other" and for changes over ${d.thresholdPct}%`),
      element: {
        type: 'plain_text_input',
        action_id: ACTION.comment,
        multiline: true,
        max_length: 1000,
      },
    },
  );
  if (forecast && d.offerNoChange)
    blocks.push({
      type: 'actions',
      block_id: 'no_change',
      elements: [
        {
          type: 'button',
          action_id: NO_CHANGE_ACTION,
          text: plain('No change for my families'),
          value: String(d.meta.cycleId),
        },
      ],
    });
  return {
    type: 'modal',
    callback_id: CALLBACK[d.subject],
    private_metadata: encodeMeta(d.meta),
    title: plain(forecast ? `Forecast ${d.cycleMonth}` : `Capacity ${d.cycleMonth}`),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks,
  };
}

export function loadingModal(subject: ChangeSubject): types.ModalView {
  return {
    type: 'modal',
    callback_id: `${CALLBACK[subject]}_loading`,
    title: plain(subject === 'forecast' ? 'Forecast' : 'Capacity'),
    close: plain('Cancel'),
    blocks: [{ type: 'section', text: mrkdwn(':hourglass_flowing_sand: Loading…') }],
  };
}

/** A modal that only says something (a refusal, a missing cycle). */
export function messageModal(title: string, text: string): types.ModalView {
  return {
    type: 'modal',
    title: plain(clip(title, 24)),
    close: plain('Close'),
    blocks: [{ type: 'section', text: mrkdwn(clip(text, 3000)) }],
  };
}

export function confirmationModal(o: ChangeOutcome, subject: ChangeSubject): types.ModalView {
  const flagged = o.lines.filter((l) => l.flagged).map((l) => l.period);
  const blocks: types.KnownBlock[] = [
    {
      type: 'section',
      text: mrkdwn(
        `:white_check_mark: *Saved* ${esc(o.target.code)} (${esc(clip(o.target.name, 80))}), cycle ${o.cycle.month}.`,
      ),
    },
    { type: 'section', text: mrkdwn(clip(beforeAfterTable(o.lines), 3000)) },
  ];
  if (flagged.length)
    blocks.push({
      type: 'context',
      elements: [mrkdwn(`:triangular_flag_on_post: Flagged for review: ${flagged.join(', ')}.`)],
    });
  const also = alsoOpenText(o);
  if (also) blocks.push({ type: 'context', elements: [mrkdwn(clip(also, 3000))] });
  return {
    type: 'modal',
    callback_id: `${CALLBACK[subject]}_done`,
    title: plain(subject === 'forecast' ? 'Forecast saved' : 'Capacity saved'),
    close: plain('Done'),
    blocks,
  };
}
