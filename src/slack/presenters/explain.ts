/**
 * Block Kit and text for `/sop explain` (src/services/explain.ts). Pure: an Explanation in,
 * a message (or a modal, or plain text for the CLI) out. Text people typed (comments, the
 * question) is escaped before it reaches mrkdwn. Every answer fits Slack's limits whatever
 * the company's size: sections are packed to at most SECTION_CHARS, long lists are cut
 * with "and N more", and the whole message stays under MAX_BLOCKS and MESSAGE_BLOCKS_CHARS.
 */
import type { types } from '@slack/bolt';
import { localDate } from '../../core/calendar.js';
import type { FamilyMonthExplanation } from '../../core/explain/family.js';
import type { ResourceMonthExplanation } from '../../core/explain/resource.js';
import type { AdjustmentFva } from '../../core/kpi.js';
import { walkAsShown } from '../../core/number-format.js';
import {
  type DemandPriceKind,
  LAST_MONTH_NOTE,
  type PriceKind,
  priceReading,
} from '../../core/supply/duals.js';
import { oneUnit } from '../../core/text.js';
import type { ChangeRow, Explanation } from '../../services/explain.js';
import { andMore, fitLines, jsonChars, MESSAGE_BLOCKS_CHARS, sectionTexts } from './fit.js';
import { clip, esc, escInMarks, fmtChange, fmtQty, mrkdwn, plain } from './format.js';

export const ACTION_EXPLAIN_SHARE = 'explain_share';
export const ACTION_EXPLAIN_PICK = 'explain_pick';
export const SHORTCUT_EXPLAIN = 'explain_this';
export const VIEW_EXPLAIN = 'explain_modal';
export const NOT_OURS_NOTICE =
  '*Explain this* works on messages sopbot posted (plans, charts, summaries, votes). For any other figure, ask with `/sop explain`, for example `/sop explain FAM-3 2027-05`.';

/** Below Slack's 3000 per section, with room for a continuation mark. */
const SECTION_CHARS = 2800;
/** A message holds 50 blocks; a modal 100. */
const MAX_BLOCKS = 45;
/** Families listed by name on a resource before "and N more". */
const TOP_FAMILIES = 12;
/** Lines of a list (adjustments, changes, months) before "and N more". */
const MAX_LINES = 40;

type Block = types.KnownBlock;

// A figure that is not a number (NaN, Infinity: a corrupt row) reads "n/a", not fmtQty's 0.
const q = (n: number | null | undefined): string =>
  n == null || !Number.isFinite(n) ? 'n/a' : fmtQty(n);
const signed = (n: number): string =>
  !Number.isFinite(n) ? 'n/a' : n >= 0 ? `+${fmtQty(n)}` : `−${fmtQty(-n)}`;
const money = (n: number): string =>
  `${n < 0 ? '−' : ''}$${Math.abs(n).toLocaleString('en-US', {
    minimumFractionDigits: Math.abs(n) < 100 ? 2 : 0,
    maximumFractionDigits: Math.abs(n) < 100 ? 2 : 0,
  })}`;
const num = (n: number): string =>
  !Number.isFinite(n) ? 'n/a' : Math.abs(n) >= 1000 ? fmtQty(n) : String(Number(n.toPrecision(4)));

/**
 * A capacity price as read: "at most $6" for a rate (priceReading), with its notes in brackets:
 * the rate's, and the flag of the plan's last month (the pack's, LAST_MONTH_NOTE).
 */
function capacityPrice(
  price: number,
  kind: PriceKind | null,
  lastMonth: boolean,
  bold = false,
): string {
  const r = priceReading(kind, 'at most', price);
  const notes = [r.note, lastMonth ? LAST_MONTH_NOTE : null].filter((n) => n !== null);
  const figure = bold ? `*${money(price)}*` : money(price);
  return `${r.bound}${figure}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/**
 * What one more unit demanded comes to (DemandPriceKind), as a sentence; empty when the run
 * kept no price (an integer program).
 */
function demandSentence(price: number | null, kind: DemandPriceKind | null): string {
  if (kind === 'unserved')
    return 'One more unit demanded could not be served: no plan within the limits meets it (lost sales are not allowed).';
  if (price === null) return '';
  if (kind === 'lost')
    return `One more unit demanded would cost ${money(price)}, a lost sale: serving it would cost no less.`;
  const r = priceReading(kind, 'at least', price);
  const note = r.note ? ` (${r.note})` : '';
  // Below zero (production frozen or held at a minimum: the unit is one the plan makes anyway),
  // the cost goes down. A rate's "costs at least −$4" is then "saves at most $4".
  if (price < 0)
    return `One more unit demanded would lower the cost by ${r.bound ? 'at most ' : ''}${money(-price)}${note}.`;
  return `One more unit demanded would cost ${r.bound}${money(price)}${note}.`;
}

function who(id: string, names: Readonly<Record<string, string>>): string {
  if (id === 'sopbot') return 'sopbot';
  const n = names[id];
  // A name, not a mention: a shared answer must not ping everyone it names.
  return n ? esc(n) : `\`${esc(id)}\``;
}

/** Packs lines into section texts of at most SECTION_CHARS each. */
const pack = (title: string, lines: readonly string[]): string[] =>
  sectionTexts(title, lines, SECTION_CHARS);

/** Characters and lines the variable-length lists of an answer may take. */
interface Limits {
  readonly chars: number;
  readonly lines: number;
}

const jsonSize = (x: unknown): number => JSON.stringify(x).length;

/**
 * The first lines that fit in `max` lines and `chars` characters (as JSON, as Slack counts
 * them), then "…and N more" for the rest.
 */
const capped = (
  lines: readonly string[],
  lim: Limits,
  what: string,
  where?: (hidden: number) => string,
): string[] =>
  fitLines(lines, { chars: lim.chars, lines: lim.lines, size: jsonChars }, (n) =>
    andMore(n, what, where?.(n)),
  ).lines;

/**
 * Where the last `hidden` months of a range are read: the same question over those months
 * ("ask for them: `/sop explain FAM-3 2028-03..2028-05`").
 */
const laterMonths =
  (code: string, months: readonly { readonly period: string }[]) =>
  (hidden: number): string => {
    const first = months[months.length - hidden]?.period ?? '';
    const last = months.at(-1)?.period ?? first;
    return `ask for them: \`/sop explain ${escInMarks(code)} ${first === last ? first : `${first}..${last}`}\``;
  };

/** What is left for a list once the fixed blocks are counted. */
const remaining = (lim: Limits, fixed: readonly Block[]): Limits => ({
  chars: Math.max(600, lim.chars - jsonSize(fixed)),
  lines: lim.lines,
});

const section = (text: string): Block => ({ type: 'section', text: mrkdwn(text) });
const context = (text: string): Block => ({
  type: 'context',
  elements: [mrkdwn(clip(text, 2900))],
});

function fvaText(label: string, f: AdjustmentFva | null): string | null {
  if (!f || f.adjustments === 0) return null;
  return `${label}: FVA ${signed(f.fva)} units over ${f.adjustments} earlier adjustment${f.adjustments === 1 ? '' : 's'} (${f.helped} helped, ${f.hurt} hurt)`;
}

// --- a family month --------------------------------------------------------------------

function historyText(m: FamilyMonthExplanation): string {
  const h = m.history.map((p) => `${p.period.slice(2)} ${q(p.units)}`).join(' · ');
  const ly = m.sameMonthLastYear
    ? `Same month last year (${m.sameMonthLastYear.period}): *${q(m.sameMonthLastYear.units)}*`
    : 'No sales in the same month last year.';
  return `*History* (last ${m.history.length === 1 ? 'month' : `${m.history.length} months`})\n${h || '_no sales history_'}\n${ly}`;
}

function baselineText(m: FamilyMonthExplanation): string {
  if (!m.baseline || !m.model)
    return '*Baseline*\n_No statistical baseline for this month (none was fitted, or the month is outside the horizon)._';
  const b = m.baseline;
  const params = m.model.members
    .map((mem) => {
      const ps = Object.entries(mem.params)
        .filter(([k]) => !/^s\d+$/.test(k))
        .map(([k, v]) => `${k} ${num(v)}`)
        .join(', ');
      const w =
        m.model!.members.length > 1 ? ` (weight ${Math.round(mem.weight * 1000) / 10}%)` : '';
      return `${esc(mem.method)}${w}${ps ? `: ${ps}` : ''}`;
    })
    .join('; ');
  const interval = (lo: number | null, hi: number | null) =>
    lo === null || hi === null ? 'n/a' : `${q(lo)}–${q(hi)}`;
  return clip(
    [
      `*Baseline: ${q(b.value)}* from \`${esc(m.model.method)}\``,
      esc(m.model.why),
      `AICc ${m.model.aicc === null ? 'n/a for this model' : num(m.model.aicc)} · 80% ${interval(b.lo80, b.hi80)} · 95% ${interval(b.lo95, b.hi95)}`,
      params ? `Parameters: ${params}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
    SECTION_CHARS,
  );
}

function stepLine(
  s: FamilyMonthExplanation['steps'][number],
  names: Readonly<Record<string, string>>,
  shown: number,
): string {
  if (s.role === 'floor') return `• *${signed(shown)}* floor at zero (demand cannot be negative)`;
  const parts = [
    `• *${signed(shown)}*${s.kind === 'delta_units' ? '' : ` (${fmtChange(s.kind, s.value)}${s.role === 'override' ? ', override' : ''})`} by ${who(s.author, names)}`,
    `reason \`${esc(s.reasonCode)}\``,
    s.comment ? `“${esc(clip(s.comment, 300))}”` : null,
    s.flagged ? ':triangular_flag_on_post: flagged' : null,
    s.zone && s.zone !== 'liquid' ? `${s.zone} zone` : null,
  ].filter(Boolean);
  const fva = [
    fvaText(who(s.author, names), s.authorFva),
    fvaText(`\`${esc(s.reasonCode)}\``, s.reasonFva),
  ]
    .filter(Boolean)
    .join('; ');
  return `${parts.join(' · ')}\n    ${fva || '_no earlier adjustment of this person or reason has an actual yet_'}`;
}

/**
 * A month's walk from the baseline to the consensus as printed: the steps share the difference
 * of the rounded ends (largest remainder): baseline 100.4 and two steps of +0.4 read
 * "Consensus: 101 = baseline 100 +1 +0", where each step rounded alone read "+0 +0".
 */
function monthWalk(m: FamilyMonthExplanation) {
  return walkAsShown(
    m.baseline?.value ?? 0,
    m.steps.map((s) => s.change),
    m.consensus,
  );
}

function consensusText(m: FamilyMonthExplanation): string {
  const walk = monthWalk(m);
  const terms = walk.steps.map(signed).join(' ');
  return `*Consensus: ${q(walk.end)}* = baseline ${q(walk.start)}${terms ? ` ${terms}` : ''}${m.superseded ? ` (${m.superseded} earlier adjustment${m.superseded === 1 ? '' : 's'} superseded)` : ''}`;
}

function supplyText(m: FamilyMonthExplanation): string {
  const p = m.plan;
  if (!p) return '*Supply*\n_No solved plan covers this month yet._';
  const s = p.supply;
  const demand = demandSentence(p.marginalCost, p.marginalCostKind);
  // The solver's fractions, shared so the printed terms add up to the printed demand.
  const w = walkAsShown(
    0,
    [s.production, s.subcontract, s.fromStock, s.backlogged, s.lost],
    s.demand,
  );
  const [made = 0, sub = 0, fromStock = 0, backlogged = 0, lost = 0] = w.steps;
  const lines = [
    `*Supply in plan run ${p.runId} (${escInMarks(p.scenario)})*`,
    `Demand ${q(w.end)} = made ${q(made)} + subcontracted ${q(sub)} ${fromStock >= 0 ? `+ from stock ${q(fromStock)}` : `− into stock ${q(-fromStock)}`} ${backlogged >= 0 ? `+ backlogged ${q(backlogged)}` : `− late orders served ${q(-backlogged)}`} + lost ${q(lost)}`,
    `Stock at month end ${q(s.closingInventory)}, backlog ${q(s.closingBacklog)}.${s.scrapped > 0 ? ` ${q(s.scrapped)} more expired and were scrapped: they left the stock without serving demand.` : ''}${demand ? ` ${demand}` : ''}`,
  ];
  if (!p.matchesConsensus)
    lines.push(
      `:warning: The run planned for ${q(s.demand)}; today's consensus is ${q(m.consensus)}. Changes since then go into the next run.`,
    );
  for (const r of p.resources) {
    const state =
      r.state === 'full'
        ? 'full (regular time and the overtime allowed)'
        : r.state === 'overtime'
          ? `on overtime: ${q(r.overtime)}${r.overtimeLimit === null ? '' : ` of ${q(r.overtimeLimit)} allowed`}`
          : r.capacity - r.load < 0.5
            ? 'at capacity'
            : `${q(r.capacity - r.load)} spare`;
    const price =
      r.shadowPrice !== null && r.shadowPrice > 0
        ? `; one more unit of capacity is worth ${capacityPrice(r.shadowPrice, r.shadowPriceKind, p.lastMonth)}`
        : '';
    lines.push(
      `• ${esc(r.resource)}: this family's load ${q(r.familyLoad)} of ${q(r.load)}, capacity ${q(r.capacity)}, ${state}${price}`,
    );
  }
  lines.push(
    p.binding
      ? `Binding: ${esc(p.binding)}`
      : 'Nothing binds: capacity is not what limits this month.',
  );
  return clip(lines.join('\n'), SECTION_CHARS);
}

function scenarioFields(
  rows: readonly { label: string; status: string; text: string }[],
): Block | null {
  if (rows.length === 0) return null;
  return {
    type: 'section',
    text: mrkdwn('*In each scenario*'),
    fields: rows
      .slice(0, 10)
      .map((r) =>
        mrkdwn(
          clip(
            `*${escInMarks(r.label)}*\n${r.status === 'optimal' ? r.text : `_${r.status}_`}`,
            1900,
          ),
        ),
      ),
  };
}

function familyMonthBlocks(
  m: FamilyMonthExplanation,
  names: Readonly<Record<string, string>>,
  lim: Limits,
): Block[] {
  const head: Block[] = [section(historyText(m)), section(baselineText(m))];
  const tail: Block[] = [section(consensusText(m)), section(supplyText(m))];
  const sc = scenarioFields(
    m.scenarios.map((s) => ({
      label: s.label,
      status: s.status,
      text: `demand ${q(s.demand)} · made ${q(s.production)} · revenue ${s.revenue === null ? 'n/a' : money(s.revenue)}`,
    })),
  );
  if (sc) tail.push(sc);
  const shown = monthWalk(m).steps;
  const steps = capped(
    m.steps.map((s, i) => stepLine(s, names, shown[i] ?? 0)),
    remaining(lim, [...head, ...tail]),
    'adjustments (sopbot explain … --format json lists them all)',
  );
  const middle = steps.length
    ? pack(`*Adjustments* (${m.steps.length})`, steps).map(section)
    : [section('*Adjustments*\n_None: the consensus is the baseline._')];
  return [...head, ...middle, ...tail];
}

function familyRangeBlocks(
  months: readonly FamilyMonthExplanation[],
  names: Readonly<Record<string, string>>,
  lim: Limits,
): Block[] {
  const lines = months.map((m) => {
    const s = m.plan?.supply;
    const plan = s
      ? ` · made ${q(s.production)}, sub ${q(s.subcontract)}, stock ${signed(s.fromStock)}${s.scrapped > 0 ? `, scrapped ${q(s.scrapped)}` : ''}, backlog ${signed(s.backlogged)}, lost ${q(s.lost)}${m.plan?.binding ? ` · binds: ${esc(m.plan.binding.split(':')[0] ?? '')}` : ''}`
      : '';
    const walk = monthWalk(m);
    const adj = m.steps.length
      ? ` ${signed(walk.end - walk.start)} (${m.steps.length} change${m.steps.length === 1 ? '' : 's'})`
      : '';
    return `• *${m.period}*: baseline ${q(walk.start)}${adj} = *${q(walk.end)}*${plan}`;
  });
  // The total is the sum of the months as printed, and each person and reason the sum of
  // their steps as each month's walk prints them, so the lines above add up to it.
  let baseline = 0;
  let consensus = 0;
  const byAuthor = new Map<string, number>();
  for (const m of months) {
    const walk = monthWalk(m);
    baseline += walk.start;
    consensus += walk.end;
    m.steps.forEach((s, i) => {
      const key =
        s.role === 'floor' ? 'floor at zero' : `${who(s.author, names)} · \`${esc(s.reasonCode)}\``;
      byAuthor.set(key, (byAuthor.get(key) ?? 0) + (walk.steps[i] ?? 0));
    });
  }
  const blocks: Block[] = [];
  const half = { chars: lim.chars / 2, lines: lim.lines };
  const code = months[0]?.family ?? '';
  for (const t of pack(
    '*Month by month*',
    capped(lines, half, 'months', laterMonths(code, months)),
  ))
    blocks.push(section(t));
  const adj = [...byAuthor.entries()].map(([k, v]) => `• ${signed(v)} ${k}`);
  for (const t of pack(
    `*Total: ${q(consensus)}* = baseline ${q(baseline)} + adjustments ${signed(consensus - baseline)}`,
    capped(adj, remaining(lim, blocks), 'people and reasons'),
  ))
    blocks.push(section(t));
  const first = months[0];
  if (first) {
    const sc = scenarioFields(
      first.scenarios.map((s, i) => {
        const total = months.reduce((a, m) => a + (m.scenarios[i]?.demand ?? 0), 0);
        const rev = months.reduce((a, m) => a + (m.scenarios[i]?.revenue ?? 0), 0);
        return {
          label: s.label,
          status: s.status,
          text: `demand ${q(total)} · revenue ${money(rev)}`,
        };
      }),
    );
    if (sc) blocks.push(sc);
  }
  return blocks;
}

// --- a resource month ------------------------------------------------------------------

/**
 * A planned load as a share of regular capacity; a month cut to none (`/capacity … =0`) has no
 * share to give: a load there is all overtime, and no load is none.
 */
function loadShare(load: number, capacity: number): string {
  if (capacity > 0) return `${Math.round((load / capacity) * 100)}% of regular capacity`;
  return load > 0
    ? 'no regular capacity this month: all of it overtime'
    : 'no regular capacity this month';
}

function resourceMonthBlocks(
  m: ResourceMonthExplanation,
  names: Readonly<Record<string, string>>,
  lim: Limits,
  cycleMonth: string,
): Block[] {
  const u = esc(m.unit);
  const fams = m.families.map(
    (f) =>
      `• ${esc(f.family)}: ${q(f.production)} made × ${num(f.perUnit)} ${u} = *${q(f.load)} ${u}*`,
  );
  // The terminal's answer (`sopbot explain`, no line limit) lists every family.
  const top = Number.isFinite(lim.lines) ? TOP_FAMILIES : m.families.length;
  const rest = m.families.slice(top);
  const shown = fams.slice(0, top);
  const next = rest[0];
  if (next)
    shown.push(
      `_…and ${rest.length} more ${rest.length === 1 ? 'family' : 'families'}: ${q(rest.reduce((a, f) => a + f.load, 0))} ${u}. One family's load here: \`/sop explain ${escInMarks(next.family)} ${m.period}\`; every family: \`sopbot explain ${escInMarks(m.resource)} ${m.period}\`._`,
    );
  const blocks: Block[] = [];
  for (const t of pack(`*Load by family* (${m.families.length})`, shown)) blocks.push(section(t));
  const updates = capped(
    m.updates.map(
      (x) =>
        `• ${fmtChange(x.kind, x.value)} by ${who(x.author, names)} · \`${esc(x.reason)}\`${x.comment ? ` · “${esc(clip(x.comment, 300))}”` : ''}${x.isConstraint ? ' · constraint' : ''}${x.enteredIn && x.enteredIn !== cycleMonth ? ` · entered in ${x.enteredIn}'s cycle` : ''}`,
    ),
    { chars: Math.min(SECTION_CHARS - 300, lim.chars / 3), lines: lim.lines },
    'updates',
  );
  blocks.push(
    section(
      clip(
        [
          `*Capacity: ${q(m.capacity)} ${u}* regular${m.response.overtimeLimit === null ? '' : m.response.overtimeLimit > 0 ? `, up to ${q(m.response.overtimeLimit)} ${u} overtime` : ', no overtime allowed'}`,
          ...(updates.length
            ? ['Updates and constraints in force:', ...updates]
            : ['No capacity update in force.']),
        ].join('\n'),
        SECTION_CHARS,
      ),
    ),
  );
  const r = m.response;
  const did: string[] = [];
  if (r.overtime > 0) did.push(`overtime ${q(r.overtime)} ${u} (${money(r.overtimeCost)})`);
  if (r.fromStock > 0)
    did.push(
      `${q(r.fromStock)} ${u} of demand met from stock${r.stockBuiltIn.length ? ` built in ${r.stockBuiltIn.slice(-4).join(', ')}` : ''}`,
    );
  if (r.subcontracted > 0) did.push(`${q(r.subcontracted)} ${u} subcontracted`);
  if (r.backlogged > 0) did.push(`${q(r.backlogged)} ${u} backlogged to later months`);
  if (r.lost > 0) did.push(`${q(r.lost)} ${u} of demand given up`);
  const overload =
    m.overload > 0
      ? `At consensus demand the load would be ${q(m.demandLoad)} ${u}, *${q(m.overload)} ${u} over* regular capacity. The plan: ${did.join('; ') || 'nothing was needed'}.`
      : `At consensus demand the load would be ${q(m.demandLoad)} ${u}: no overload.${did.length ? ` The plan still uses ${did.join('; ')}.` : ''}`;
  blocks.push(
    section(
      `*Overload*\n${overload}\nPlanned load ${q(m.load)} ${u} (${loadShare(m.load, m.capacity)}).`,
    ),
  );
  const onePlus = `One more ${oneUnit(u)} on ${esc(m.resource)} in ${m.period}`;
  const price =
    m.shadowPrice === null
      ? '_No shadow price was stored with this run (it was solved before shadow prices were kept, or as an integer program)._'
      : m.shadowPrice > 0
        ? `${onePlus} is worth ${capacityPrice(m.shadowPrice, m.shadowPriceKind, m.lastMonth, true)}.`
        : m.capacity - m.load < 0.5
          ? `${onePlus} is worth $0.00: it is used to the full, but one more would not lower the plan's cost.`
          : `${onePlus} is worth $0.00: its capacity does not bind.`;
  blocks.push(section(`*Shadow price*\n${price}`));
  const sc = scenarioFields(
    m.scenarios.map((s) => ({
      label: s.label,
      status: s.status,
      text: `load ${q(s.load)} of ${q(s.capacity)} ${u} · overtime ${q(s.overtime)}`,
    })),
  );
  if (sc) blocks.push(sc);
  return blocks;
}

function resourceRangeBlocks(months: readonly ResourceMonthExplanation[], lim: Limits): Block[] {
  const lines = months.map((m) => {
    const u = esc(m.unit);
    return `• *${m.period}*: load ${q(m.load)} of ${q(m.capacity)} ${u}${m.overload > 0 ? `, ${q(m.overload)} over at consensus` : ''}${m.response.overtime > 0 ? `, overtime ${q(m.response.overtime)}` : ''} · shadow price ${m.shadowPrice === null ? 'n/a' : capacityPrice(m.shadowPrice, m.shadowPriceKind, m.lastMonth && m.shadowPrice > 0)}`;
  });
  const code = months[0]?.resource ?? '';
  return pack('*Month by month*', capped(lines, lim, 'months', laterMonths(code, months))).map(
    section,
  );
}

// --- who changed ------------------------------------------------------------------------

function changeLine(
  c: ChangeRow,
  names: Readonly<Record<string, string>>,
  timezone: string,
): string {
  const status =
    c.status === 'flagged'
      ? ' · :triangular_flag_on_post: flagged'
      : c.status === 'accepted'
        ? ''
        : ` · _${c.status}_`;
  return `• *${c.period}* ${fmtChange(c.kind, c.value)}${c.before !== null && c.after !== null ? ` (${q(c.before)} → ${q(c.after)})` : ''} by ${who(c.author, names)} · \`${esc(c.reasonCode)}\`${c.comment ? ` · “${esc(clip(c.comment, 300))}”` : ''}${status} · ${localDate(new Date(c.createdAt), timezone)}`;
}

// --- the message -----------------------------------------------------------------------

export interface ExplainMessage {
  readonly text: string;
  readonly blocks: Block[];
}

/** "2027-05", or "2027-05..2027-07" for several months. */
function monthRange(months: readonly { readonly period: string }[]): string | undefined {
  const first = months[0];
  return months.length === 1 ? first?.period : `${first?.period}..${months.at(-1)?.period}`;
}

/**
 * The title line of an answer, as plain text: the header shows it as it is, and the message's
 * `text` (the notification, mrkdwn) escapes it, since units come from the company's files.
 */
export function explainTitle(e: Explanation): string {
  switch (e.kind) {
    case 'not_understood':
      return 'Not understood';
    case 'changes':
      return `Who changed ${e.family.code}${e.query.from ? ` in ${e.query.from === e.query.to ? e.query.from : `${e.query.from}..${e.query.to}`}` : ''}: ${e.changes.length} change${e.changes.length === 1 ? '' : 's'}`;
    case 'family': {
      const range = monthRange(e.months);
      const total = e.months.reduce((a, m) => a + m.consensus, 0);
      const dir = e.query.direction ? ` (why ${e.query.direction}?)` : '';
      return `${e.family.code} ${range}: consensus ${q(total)} ${e.family.unit}${dir}`;
    }
    case 'resource': {
      const first = e.months[0];
      const range = monthRange(e.months);
      if (e.months.length === 1 && first)
        return `${e.resource.code} ${range}: ${q(first.load)} of ${q(first.capacity)} ${e.resource.unit} loaded`;
      return `${e.resource.code} ${range}`;
    }
  }
}

/** Cuts blocks so that the message stays within Slack's block count and size. */
function fitToSlack(blocks: Block[], maxBlocks: number, maxChars: number): Block[] {
  const out: Block[] = [];
  let chars = 0;
  for (const b of blocks) {
    const size = JSON.stringify(b).length;
    if (out.length >= maxBlocks - 1 || chars + size > maxChars) {
      out.push(
        context(
          '_The rest is cut to fit Slack; `sopbot explain … --format json` has every figure._',
        ),
      );
      return out;
    }
    out.push(b);
    chars += size;
  }
  return out;
}

export interface ExplainMessageOptions {
  /** The value of the "Share in channel" button; no button when absent. */
  readonly share?: string;
  /** Adds "Shared by" to a message shared in a channel. */
  readonly sharedBy?: string;
  readonly maxBlocks?: number;
  readonly maxChars?: number;
}

export function explainMessage(e: Explanation, opts: ExplainMessageOptions = {}): ExplainMessage {
  if (e.kind === 'not_understood')
    return { text: esc(e.message), blocks: [section(clip(esc(e.message), 2900))] };
  const title = explainTitle(e);
  const blocks: Block[] = [{ type: 'header', text: plain(clip(title, 150)) }];
  const about = [
    `Cycle ${e.cycleMonth}`,
    e.runId ? `plan run ${e.runId}` : 'no plan run yet',
    opts.sharedBy ? `shared by <@${opts.sharedBy}>` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  blocks.push(context(about));
  const maxChars = opts.maxChars ?? MESSAGE_BLOCKS_CHARS;
  const lim: Limits = {
    chars: maxChars - jsonSize(blocks) - 400,
    lines: Number.isFinite(maxChars) ? MAX_LINES : Number.POSITIVE_INFINITY,
  };
  if (e.kind === 'family') {
    const [only] = e.months;
    if (e.months.length === 1 && only) blocks.push(...familyMonthBlocks(only, e.names, lim));
    else blocks.push(...familyRangeBlocks(e.months, e.names, lim));
  } else if (e.kind === 'resource') {
    const [only] = e.months;
    if (e.months.length === 1 && only)
      blocks.push(...resourceMonthBlocks(only, e.names, lim, e.cycleMonth));
    else blocks.push(...resourceRangeBlocks(e.months, lim));
  } else {
    const lines = capped(
      e.changes.map((c) => changeLine(c, e.names, e.timezone)),
      lim,
      'changes',
    );
    if (lines.length === 0)
      blocks.push(section(`_Nobody has changed ${escInMarks(e.family.code)} in this cycle._`));
    else for (const t of pack('*Changes, oldest first*', lines)) blocks.push(section(t));
  }
  const max = opts.maxBlocks ?? MAX_BLOCKS;
  const body = fitToSlack(
    blocks,
    opts.share ? max - 1 : max,
    opts.maxChars ?? MESSAGE_BLOCKS_CHARS,
  );
  if (opts.share)
    body.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION_EXPLAIN_SHARE,
          text: plain('Share in channel'),
          value: clip(opts.share, 2000),
        },
      ],
    });
  return { text: esc(title), blocks: body };
}

// --- the CLI's text --------------------------------------------------------------------

/** The message as plain text for a terminal: mrkdwn marks and escapes undone. */
export function explainPlainText(e: Explanation): string {
  const { blocks } = explainMessage(e, {
    maxBlocks: Number.POSITIVE_INFINITY,
    maxChars: Number.POSITIVE_INFINITY,
  });
  const out: string[] = [];
  const unmark = (s: string) =>
    s
      .replace(/:triangular_flag_on_post: /g, '')
      .replace(/:warning: /g, 'Warning: ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .replace(/[*`]/g, '');
  for (const b of blocks) {
    if (b.type === 'header') out.push(b.text.text, '='.repeat(Math.min(b.text.text.length, 80)));
    else if (b.type === 'context')
      for (const x of b.elements)
        if ('text' in x && typeof x.text === 'string') out.push(unmark(x.text));
    if (b.type === 'section') {
      if (b.text) out.push('', unmark(b.text.text));
      for (const f of b.fields ?? []) out.push(`  ${unmark(f.text).replace(/\n/g, ': ')}`);
    }
  }
  return `${out.join('\n')}\n`;
}

// --- "Explain this" (message shortcut) -------------------------------------------------

export interface PickerFigure {
  readonly code: string;
  readonly period: string;
}

const figureValue = (f: PickerFigure): string => clip(`${f.code} ${f.period}`, 75);

/** Parses an option value back into its figure ("FAM-3 2027-05"). */
export function parseFigureValue(value: string): PickerFigure | null {
  const m = /^(\S+) (\d{4}-(?:0[1-9]|1[0-2]))$/.exec(value);
  return m ? { code: m[1] ?? '', period: m[2] ?? '' } : null;
}

/** The section holding the figure select: its options are the modal's list of figures. */
export const EXPLAIN_FIGURES_BLOCK = 'explain_figures';

/** What a pick says when the form it came from cannot be read. */
export const UNREADABLE_EXPLAIN_FORM =
  ':warning: This *Explain this* form could not be read (it may come from an older version of sopbot). Close it and choose *Explain this* on the message again.';

/**
 * What the modal keeps in private_metadata (at most 3000 characters): only the month of the
 * cycle its figures are read in. The figures themselves are the select's options, which
 * Slack sends back with every pick, so the metadata stays this small whatever their codes.
 */
export interface ExplainModalMeta {
  readonly cycleMonth: string;
}

/**
 * The "Explain this" modal: the figures the message names, in a select; once one is
 * picked, its explanation below. `meta` travels in private_metadata.
 */
export function explainModal(
  figures: readonly PickerFigure[],
  meta: ExplainModalMeta | null,
  picked?: { readonly figure: PickerFigure; readonly explanation: Explanation },
  notice?: string,
): types.View {
  const blocks: Block[] = [];
  if (figures.length === 0) {
    blocks.push(
      section(
        notice ??
          'This message names no family or resource, so there is no figure to explain here. Ask with `/sop explain`, for example `/sop explain FAM-3 2027-05`.',
      ),
    );
  } else {
    const options = figures.slice(0, 100).map((f) => ({
      text: plain(clip(`${f.code} · ${f.period}`, 75)),
      value: figureValue(f),
    }));
    const n = options.length;
    const initial = picked
      ? options.find((o) => o.value === figureValue(picked.figure))
      : undefined;
    blocks.push({
      type: 'section',
      block_id: EXPLAIN_FIGURES_BLOCK,
      text: mrkdwn(
        `*${n} figure${n === 1 ? '' : 's'} in this message.* Pick one to see where it comes from.`,
      ),
      accessory: {
        type: 'static_select',
        action_id: ACTION_EXPLAIN_PICK,
        placeholder: plain('Pick a figure'),
        options,
        ...(initial ? { initial_option: initial } : {}),
      },
    });
  }
  if (picked) {
    blocks.push({ type: 'divider' });
    blocks.push(
      ...explainMessage(picked.explanation, { maxBlocks: 100 - blocks.length - 1 }).blocks,
    );
  }
  return {
    type: 'modal',
    callback_id: VIEW_EXPLAIN,
    title: plain('Explain this'),
    close: plain('Close'),
    private_metadata: meta ? JSON.stringify({ c: meta.cycleMonth }) : '',
    blocks,
  };
}

/** Every text in a message (its fallback text and its blocks'), for finding its figures. */
export function messageTexts(message: {
  readonly text?: unknown;
  readonly blocks?: unknown;
}): string[] {
  const out: string[] = [];
  if (typeof message.text === 'string') out.push(message.text);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') out.push(x);
        else walk(x);
      }
  };
  walk(message.blocks);
  return out;
}
