/**
 * Demand a plan does not meet, by family: the units it gives up (lost sales) and the units
 * still owed at the end of the horizon (backlog), and why. A plan can be `optimal` and still
 * give up most of a family's demand: when a capacity it needs is full in those months (its
 * shadow price is positive), or when its price does not cover its unit cost (a lost sale costs
 * the price, so giving the demand up costs least). Plain data in and out.
 */
import { formatMoney, formatNumber, formatPercent } from './number-format.js';
import { compareCodes } from './text.js';

/** A family is named when the demand it is not served exceeds this share of its demand. */
export const SHORTFALL_SHARE = 0.01;

/** Below this, a lost or owed unit is the solver's rounding. */
const EPS = 1e-6;

/** A family's month of a solved plan, as stored (plan_family_results). */
export interface PlanFamilyMonth {
  readonly code: string;
  readonly period: string;
  readonly demand: number;
  readonly lostSales: number;
  /** Backlog at the end of the month. */
  readonly backlog: number;
}

/**
 * Units delivered in each row's month: demand, less what was given up, less what was added
 * to the backlog (plus what was caught up from it). The revenue's definition
 * (src/core/finance.ts `revenueByRow`); summed, the units the plan sells. `openingBacklog`
 * is the backlog before the first month, by family (0 where absent).
 */
export function deliveredByRow(
  rows: readonly PlanFamilyMonth[],
  openingBacklog: ReadonlyMap<string, number> = new Map(),
): number[] {
  const order = rows.map((r, i) => ({ r, i })).sort((a, b) => a.r.period.localeCompare(b.r.period));
  const before = new Map(openingBacklog);
  const out = new Array<number>(rows.length).fill(0);
  for (const { r, i } of order) {
    const prev = before.get(r.code) ?? 0;
    before.set(r.code, r.backlog);
    out[i] = r.demand - r.lostSales - (r.backlog - prev);
  }
  return out;
}

export type ShortfallCause =
  /** Price at or below unit cost in a month it falls short (the first such month). */
  | {
      readonly kind: 'price';
      readonly period: string;
      readonly price: number;
      readonly unitCost: number;
    }
  /** Resources it loads whose capacity binds in the months it falls short, most months first. */
  | {
      readonly kind: 'capacity';
      readonly resources: readonly { readonly resource: string; readonly months: number }[];
    }
  /** Neither: no capacity it loads binds in those months, and its price covers its cost. */
  | { readonly kind: 'unknown' };

export interface FamilyShortfall {
  readonly family: string;
  /** Demand over the horizon. */
  readonly demand: number;
  readonly lost: number;
  /** Backlog at the end of the horizon. */
  readonly endBacklog: number;
  /** lost + endBacklog: the demand the plan does not serve. */
  readonly unmet: number;
  /** unmet / demand; null without demand. */
  readonly share: number | null;
  /** The months with lost sales or backlog at their end, in order. */
  readonly months: readonly string[];
  readonly cause: ShortfallCause;
}

export interface ShortfallInput {
  readonly rows: readonly PlanFamilyMonth[];
  /** A family's price and unit cost in a month, as the plan was solved with; null: unknown. */
  readonly priceAndCost: (
    family: string,
    period: string,
  ) => { readonly price: number; readonly unitCost: number } | null;
  /** The resources each family loads (load per unit above 0), by family code. */
  readonly loads: ReadonlyMap<string, readonly string[]>;
  /** Resource-months whose capacity binds: shadow price above 0. */
  readonly binding: readonly { readonly resource: string; readonly period: string }[];
  /** Default SHORTFALL_SHARE. */
  readonly share?: number;
}

/**
 * Each family whose unmet demand over the horizon (lost sales plus backlog at the end)
 * exceeds `share` of its demand, the largest first, with its cause. The price comes first:
 * below cost, giving the demand up is cheapest whatever the capacity.
 */
export function familyShortfalls(input: ShortfallInput): FamilyShortfall[] {
  const threshold = input.share ?? SHORTFALL_SHARE;
  const byFamily = new Map<string, PlanFamilyMonth[]>();
  for (const r of input.rows) {
    const list = byFamily.get(r.code) ?? [];
    list.push(r);
    byFamily.set(r.code, list);
  }
  const bindingAt = new Set(input.binding.map((b) => `${b.resource}|${b.period}`));
  const out: FamilyShortfall[] = [];
  for (const [family, list] of byFamily) {
    const rows = [...list].sort((a, b) => a.period.localeCompare(b.period));
    const demand = rows.reduce((s, r) => s + r.demand, 0);
    const lost = rows.reduce((s, r) => s + r.lostSales, 0);
    const endBacklog = rows.at(-1)?.backlog ?? 0;
    const unmet = lost + endBacklog;
    if (unmet <= 0.5 || unmet <= threshold * demand) continue;
    const months = rows.filter((r) => r.lostSales > EPS || r.backlog > EPS).map((r) => r.period);
    out.push({
      family,
      demand,
      lost,
      endBacklog,
      unmet,
      share: demand > 0 ? unmet / demand : null,
      months,
      cause: causeOf(family, months, input, bindingAt),
    });
  }
  return out.sort((a, b) => b.unmet - a.unmet || compareCodes(a.family, b.family));
}

function causeOf(
  family: string,
  months: readonly string[],
  input: ShortfallInput,
  bindingAt: ReadonlySet<string>,
): ShortfallCause {
  for (const period of months) {
    const pc = input.priceAndCost(family, period);
    if (pc && pc.price <= pc.unitCost) return { kind: 'price', period, ...pc };
  }
  const resources = (input.loads.get(family) ?? [])
    .map((resource) => ({
      resource,
      months: months.filter((p) => bindingAt.has(`${resource}|${p}`)).length,
    }))
    .filter((r) => r.months > 0)
    .sort((a, b) => b.months - a.months || compareCodes(a.resource, b.resource));
  return resources.length ? { kind: 'capacity', resources } : { kind: 'unknown' };
}

/** A price per unit: whole dollars as money is written ("$5", "$1.2k"), cents kept ("$12.50"). */
const unitMoney = (v: number): string =>
  Number.isInteger(v) ? formatMoney(v) : `$${formatNumber(v, 2)}`;

const span = (ps: readonly string[]): string =>
  ps.length > 1 ? `${ps.length} months, ${ps[0]}–${ps.at(-1)}` : (ps[0] ?? '');

/** At most this many binding resources are named per family. */
const NAMED_RESOURCES = 3;

/**
 * One family's shortfall as a sentence (plain text: escape it before mrkdwn):
 * "FAM-5: 1,200 of 1,800 units of demand not met (66.7%) in 6 months, 2027-01–2027-06;
 * capacity binds: LINE-1 in all 6."
 */
export function shortfallLine(s: FamilyShortfall): string {
  const share = s.share === null ? '' : ` (${formatPercent(s.share)})`;
  const owed =
    s.endBacklog <= 0.5
      ? ''
      : s.lost <= 0.5
        ? ', all of it still on backlog at the end'
        : `, ${formatNumber(s.endBacklog)} of it still on backlog at the end`;
  const when = s.months.length ? ` in ${span(s.months)}` : '';
  return `${s.family}: ${formatNumber(s.unmet)} of ${formatNumber(s.demand)} units of demand not met${share}${when}${owed}; ${causeText(s)}.`;
}

function causeText(s: FamilyShortfall): string {
  const c = s.cause;
  if (c.kind === 'price')
    return `its price (${unitMoney(c.price)} in ${c.period}) does not cover its unit cost (${unitMoney(c.unitCost)}), so giving the demand up costs least`;
  if (c.kind === 'unknown') {
    const ask = ['/sop explain', s.family, ...s.months.slice(0, 1)].join(' ');
    return `no capacity it uses is full in those months: \`${ask}\` shows why`;
  }
  const named = c.resources.slice(0, NAMED_RESOURCES).map((r, i) => {
    if (s.months.length <= 1) return r.resource;
    const n = r.months === s.months.length ? `all ${r.months}` : String(r.months);
    return `${r.resource} in ${n}${i === 0 && r.months !== s.months.length ? ` of those ${s.months.length}` : ''}`;
  });
  const more = c.resources.length - named.length;
  return `capacity binds: ${named.join(', ')}${more > 0 ? `, and ${more} more` : ''}`;
}
