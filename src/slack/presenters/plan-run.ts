/**
 * Words for plan runs and what-ifs in Slack: the headline figures of a run, and the
 * differences a what-if makes against central. Pure functions of the stored KPIs.
 */
import {
  formatMoney,
  formatMoneyBetween,
  formatNumber,
  formatPercent,
  formatPointsBetween,
  moneyAlike,
} from '../../charts/format.js';
import { storedBillGap, storedBillsEstimated } from '../../core/finance.js';
import { type FamilyGap, monthRuns } from '../../core/history-gaps.js';
import { BAD_CASE_WORDS } from '../../core/scenarios/trade-off.js';
import { whatIfSpan } from '../../core/scenarios/what-if.js';
import { type FamilyShortfall, SHORTFALL_SHARE, shortfallLine } from '../../core/shortfall.js';
import { andMore, fitLines } from './fit.js';
import { esc, escInMarks, slackDate } from './format.js';
import { moneyNote, openingCash } from './vote.js';

export type Kpis = Readonly<Record<string, number | null | undefined>>;

export interface ScenarioFigures {
  readonly name: string;
  readonly label: string;
  readonly status: string;
  readonly message?: string | null;
  readonly kpis: Kpis;
  /** The stored stress test, when there is one: it names a family the bills lack a row of. */
  readonly stress?: unknown;
}

/** Money as the vote and the charts write it: "$73.2M", "−$422k" (the sign before the $). */
const money = (v: number | null | undefined): string =>
  typeof v === 'number' ? formatMoney(v) : 'n/a';
/** An amount beside its bad case, both at one precision: "$85.7M ($80.0M in a bad case)". */
const withBadCase = (v: number | null | undefined, bad: number | null | undefined): string => {
  const [a, b] = moneyAlike([money(v), money(bad)]);
  return `${a} (${b} in a bad case)`;
};
const pct = (v: number | null | undefined): string =>
  typeof v === 'number' ? formatPercent(v) : 'n/a';
const count = (v: number | null | undefined): string =>
  typeof v === 'number' ? formatNumber(v) : 'n/a';

/**
 * The cycle's run that replaced a run whose headline or charts are posted late (a chart job
 * delayed behind a newer run's), and whether that run's posts are above in the same thread.
 */
export interface Replaced {
  readonly by: string;
  readonly above: boolean;
}

/** "replaced by plan run 4 above" ("replaced by plan run 4" when it is not posted there yet). */
export function replacedWords(r: Replaced): string {
  return `replaced by plan run ${r.by}${r.above ? ' above' : ''}`;
}

/**
 * One line per scenario. After the stress test it leads with the figures every plan earns
 * against the same demand samples (expected fill rate and margin, their P10s, cash at P10),
 * then tension; the margin at the plan's own planned demand comes last, named as such. Before
 * the stress test, the plan's own figures are all there is, and the line says so.
 */
export function planHeadline(
  runId: string,
  cycleMonth: string | null,
  s: readonly ScenarioFigures[],
  /** The run's stale-stock warning ("opening stock from 2027-01's count: …"), if any. */
  staleStock: string | null = null,
  /** The families the central plan leaves short (src/core/shortfall.ts), the largest first. */
  short: readonly FamilyShortfall[] = [],
  /** The families whose baseline counts months without a sales row as zero sales. */
  zeroFilled: readonly FamilyGap[] = [],
  /** The run's months, which its margin and cash are totals over (said in the note). */
  horizon: readonly string[] = [],
  /** The newer run of the cycle that replaced this one, when there is one (`replacedWords`). */
  replaced: Replaced | null = null,
  /** What changed since the run before it that people saw (`sinceLines`), if there was one. */
  since: SinceRun | null = null,
): string {
  /**
   * Peak working capital, expected and in a bad case (the P90: more cash tied up); a run
   * stored before the bad case was kept shows the expected peak alone.
   */
  const workingCapital = (k: Kpis): string =>
    typeof k.workingCapital !== 'number'
      ? ''
      : typeof k.workingCapitalP90 === 'number'
        ? `, peak working capital ${withBadCase(k.workingCapital, k.workingCapitalP90)}`
        : `, expected peak working capital ${money(k.workingCapital)}`;
  const tension = (k: Kpis): string =>
    `peak utilisation ${pct(k.peakUtilisation)}, ${count(k.overloads)} resource-months on overtime`;
  const lines = s.map((x) => {
    if (x.status !== 'optimal')
      return `• *${escInMarks(x.label)}*: no plan (${x.status}). ${esc(x.message ?? '')}`.trim();
    const k = x.kpis;
    if (typeof k.expectedMargin !== 'number')
      return `• *${escInMarks(x.label)}*: at its own planned demand, fill rate ${pct(k.fillRate)}, margin ${money(k.grossMargin)}; ${tension(k)}`;
    return `• *${escInMarks(x.label)}*: expected fill rate ${pct(k.expectedFillRate)} (${pct(k.serviceAtRisk)} in a bad case), expected margin ${withBadCase(k.expectedMargin, k.marginP10)}, cash generated ${withBadCase(k.cashFlow, k.cashFlowP10)}${workingCapital(k)}; ${tension(k)}; margin at its own planned demand ${money(k.grossMargin)}`;
  });
  const head = replaced
    ? `*Plan run ${runId}${cycleMonth ? ` for ${cycleMonth}` : ''} (${replacedWords(replaced)}): its figures are out of date.*`
    : `*Plan run ${runId}${cycleMonth ? ` for ${cycleMonth}` : ''} is ready.*`;
  const solved = s.filter((x) => x.status === 'optimal');
  const totals = moneyNote(
    horizon,
    solved.some((x) => typeof x.kpis.workingCapital === 'number'),
    openingCash(
      solved.map((x) => x.kpis),
      solved.map((x) => storedBillGap(x.stress)).find((g) => g !== null) ?? null,
      solved.some((x) => storedBillsEstimated(x.stress)),
    ),
  );
  const note = [
    ...(s.some((x) => typeof x.kpis.expectedMargin === 'number')
      ? [`_Expected and bad case: each plan against the same demand samples; ${BAD_CASE_WORDS}._`]
      : []),
    ...(totals && s.some((x) => x.status === 'optimal') ? [`_${totals}._`] : []),
  ];
  const stock = staleStock ? [`:warning: ${esc(staleStock)}.`] : [];
  return [
    head,
    ...(since ? sinceLines(since, s) : []),
    ...stock,
    ...zeroFilledLines(zeroFilled),
    ...lines,
    ...note,
    ...shortfallLines(short),
  ].join('\n');
}

/** A run's inputs and figures against the run before it that people saw. */
export interface SinceRun {
  /** The run compared with. */
  readonly since: string;
  /** Families' demand and resources' capacity that differ, with who entered them (names). */
  readonly inputs: readonly {
    readonly kind: 'demand' | 'capacity';
    readonly code: string;
    readonly months: readonly string[];
    readonly by: readonly string[];
  }[];
  /** Inputs other than demand and capacity differ. */
  readonly otherInputs: boolean;
  readonly previous: readonly ScenarioFigures[];
}

/** How many inputs and figures the lines name before "+N more". */
const SINCE_MAX = 3;

const more = (items: readonly string[]): string =>
  items.length > SINCE_MAX
    ? `${items.slice(0, SINCE_MAX).join('; ')}; +${items.length - SINCE_MAX} more`
    : items.join('; ');

/** The figures a scenario's headline line leads with, as it writes them. */
function shownFigures(x: ScenarioFigures | undefined): [string, string][] {
  if (x?.status !== 'optimal') return [['plan', 'none']];
  const k = x.kpis;
  return typeof k.expectedMargin === 'number'
    ? [
        ['expected fill rate', pct(k.expectedFillRate)],
        ['bad-case fill rate', pct(k.serviceAtRisk)],
        ['expected margin', money(k.expectedMargin)],
        ['bad-case margin', money(k.marginP10)],
        ['cash generated', money(k.cashFlow)],
        ['bad-case cash generated', money(k.cashFlowP10)],
      ]
    : [
        ['fill rate', pct(k.fillRate)],
        ['margin', money(k.grossMargin)],
      ];
}

/** The figures "is new" and "has a plan again" name (`sinceLines`). */
const LEAD_FIGURES = new Set(['expected fill rate', 'expected margin', 'fill rate', 'margin']);

/**
 * Two lines under a run's headline: what changed in its inputs since the run before it that
 * people saw (each family's demand and resource's capacity, its months and who entered it, by
 * name), and which of the scenarios' margin, fill rate and cash figures moved, as printed, or
 * that none did. A scenario new to the run, or solving again, is said to be, with its fill rate
 * and margin; one that no longer solves "has no plan this run".
 */
export function sinceLines(c: SinceRun, now: readonly ScenarioFigures[]): string[] {
  const inputs = c.inputs.map(
    (x) =>
      `${x.kind} of ${escInMarks(x.code)} in ${monthRuns(x.months, 2)}${x.by.length ? ` (${x.by.map(escInMarks).join(', ')})` : ''}`,
  );
  const what = inputs.length
    ? more(inputs)
    : c.otherInputs
      ? 'inputs other than demand and capacity'
      : 'no input';
  const before = new Map(c.previous.map((x) => [x.name, x]));
  /** Its fill rate and margin, as its headline line leads with them. */
  const lead = (x: ScenarioFigures): string =>
    shownFigures(x)
      .filter(([name]) => LEAD_FIGURES.has(name))
      .map(([name, v]) => `${name} ${v}`)
      .join(', ');
  const moved = now.flatMap((x) => {
    const prior = before.get(x.name);
    const label = `*${escInMarks(x.label)}*`;
    // A scenario with no figures on one side: said in words, not as "n/a → 95.0%".
    const solves = x.status === 'optimal';
    if (!prior) return solves ? [`${label} is new: ${lead(x)}`] : [];
    if (prior.status !== 'optimal') return solves ? [`${label} has a plan again: ${lead(x)}`] : [];
    if (!solves) return [`${label} has no plan this run`];
    const was = new Map(shownFigures(prior));
    return shownFigures(x)
      .filter(([name, v]) => was.get(name) !== v)
      .map(([name, v]) => {
        // The two amounts at one precision: "$79.9M → $80.0M", not "→ $80M".
        const [from, to] = moneyAlike([was.get(name) ?? 'n/a', v]);
        return `${label} ${name} ${from} → ${to}`;
      });
  });
  return [
    `_Changed since plan run ${c.since}:_ ${what}.`,
    moved.length
      ? `Figures that moved: ${more(moved)}.`
      : 'No margin, fill rate or cash figure shown changed.',
  ];
}

/**
 * What started a plan run (its stored trigger, the recompute's reason), in words. Who asked is
 * named (`askedBy`, their display name), not mentioned: the message saying it is edited on
 * every run and posted anew when it was deleted, and neither should ping them. The name is
 * escaped here (`escInMarks`), since the line it goes in keeps a `<!date…>` token and cannot
 * be escaped whole: a name typed as "<!channel>" or "<https://…|docs>" stays text.
 */
export function runReason(trigger: string, askedBy: string | null): string {
  switch (trigger) {
    case 'command':
      return askedBy ? `asked for by ${escInMarks(askedBy)}` : 'asked for with `/sop plan`';
    case 'submission':
      return 'after a forecast or capacity change';
    case 'import':
      return 'after a data import';
    case 'cycle':
      return 'after a phase change';
    case 'schedule':
      return 'the daily recompute';
    default:
      return `after ${esc(trigger)}`;
  }
}

/** The cycle's plans thread, before its first run: the title and what the thread holds. */
export function plansThreadPlaceholder(cycleMonth: string): string {
  return `*Plans for S&OP ${cycleMonth}*\nNo plan run yet. Each run's figures and charts will be in this thread.`;
}

/**
 * The cycle's plans thread, kept on its latest run: when it was made and why (who asked, by
 * name: `askedBy`), and in the executive channel (`scenarios`) one line per scenario. Each
 * run's headline and charts are the thread's replies; this message is the one the channel sees
 * change.
 */
export function plansThreadText(
  cycleMonth: string,
  run: {
    readonly id: string;
    readonly trigger: string;
    readonly askedBy: string | null;
    readonly createdAt: Date;
  },
  zone: string,
  scenarios: readonly ScenarioFigures[] | null,
): string {
  const line = (x: ScenarioFigures): string => {
    if (x.status !== 'optimal') return `• *${escInMarks(x.label)}*: no plan (${x.status})`;
    const k = x.kpis;
    if (typeof k.expectedMargin !== 'number')
      return `• *${escInMarks(x.label)}*: margin ${money(k.grossMargin)}, fill rate ${pct(k.fillRate)} at its own planned demand`;
    // Both amounts at one precision ("$85.7M (bad case $80.0M)"), as the headline writes them.
    const [margin, bad] = moneyAlike([money(k.expectedMargin), money(k.marginP10)]);
    return `• *${escInMarks(x.label)}*: expected margin ${margin} (bad case ${bad}), expected fill rate ${pct(k.expectedFillRate)} (bad case ${pct(k.serviceAtRisk)})`;
  };
  return [
    `*Plans for S&OP ${cycleMonth}*`,
    `Latest: plan run ${run.id}, ${slackDate(run.createdAt, zone)}, ${runReason(run.trigger, run.askedBy)}.`,
    ...(scenarios ?? []).map(line),
    "_Each run's figures and charts are in this thread; a chart that looks the same as its latest picture here (the same words and figures, no mark moved by a pixel) is not posted again._",
  ].join('\n');
}

/** What the zero-filled families' names may take in the headline. */
export const ZERO_FILLED_CHARS = 600;

/**
 * How many families' baselines count months without a sales row as zero sales, and which
 * (their months as runs), as many as ZERO_FILLED_CHARS holds.
 */
export function zeroFilledLines(gaps: readonly FamilyGap[]): string[] {
  if (gaps.length === 0) return [];
  const n = gaps.length;
  const fitted = fitLines(
    gaps.map((g) => `${esc(g.family)} (${monthRuns(g.months, 2)})`),
    { chars: ZERO_FILLED_CHARS, separator: '; ' },
    (k) => `…and ${k} more`,
  );
  return [
    `:warning: The baseline counts months without a sales row as zero sales for ${n} famil${n === 1 ? 'y' : 'ies'}: ${fitted.lines.join('; ')}. If they sold then, import their rows.`,
  ];
}

/** What the families' lines may take in the headline; the rest is in the pack. */
export const SHORTFALL_CHARS = 2500;

/**
 * The families whose demand the central plan does not meet, above SHORTFALL_SHARE of their
 * demand: units, share and cause, one whole line each, as many as SHORTFALL_CHARS holds.
 */
export function shortfallLines(short: readonly FamilyShortfall[]): string[] {
  if (short.length === 0) return [];
  const fitted = fitLines(
    short.map((x) => `• ${esc(shortfallLine(x))}`),
    { chars: SHORTFALL_CHARS },
    (n) =>
      andMore(n, n === 1 ? 'family' : 'families', '`/sop pack md` lists them under question 8'),
  );
  return [
    `*Demand the central plan does not meet* (families short by more than ${pct(SHORTFALL_SHARE)} of their demand over the horizon):`,
    ...fitted.lines,
  ];
}

interface Diff {
  readonly label: string;
  readonly key: string;
  readonly format: (v: number) => string;
  /** How to write the change from `ref` to `now`. */
  readonly delta: (now: number, ref: number) => string;
  /** Left out, not "n/a", when a plan has no such figure (runs stored before it was kept). */
  readonly optional?: boolean;
}

// A change that rounds to nothing has no sign: "$0", "0.0 pts", not "−$0" or "+0.0 pts".
const sign = (rounded: number): string => (rounded > 0 ? '+' : rounded < 0 ? '−' : '');
/** Money between the two amounts as printed beside them ("$75M (+$1.1M vs $73.9M)"). */
const signedMoney = (now: number, ref: number): string => formatMoneyBetween(now, ref);
const signedCount = (now: number, ref: number): string => {
  const d = now - ref;
  return `${sign(Math.round(d))}${formatNumber(Math.abs(d))}`;
};
/** Points between the two percentages as printed beside them ("96.1% (+0.3 pts vs 95.8%)"). */
const points = (now: number, ref: number): string => formatPointsBetween(now, ref);

/**
 * Against the forecast's demand samples: what each plan earns when demand comes as it may,
 * the same samples for both, so a what-if that plans for more demand is judged by the demand
 * there may be. Shown when the stress test ran.
 */
const STRESSED: readonly Diff[] = [
  { label: 'Expected fill rate', key: 'expectedFillRate', format: (v) => pct(v), delta: points },
  {
    label: 'Fill rate in a bad case',
    key: 'serviceAtRisk',
    format: (v) => pct(v),
    delta: points,
  },
  { label: 'Expected margin', key: 'expectedMargin', format: (v) => money(v), delta: signedMoney },
  {
    label: 'Margin in a bad case',
    key: 'marginP10',
    format: (v) => money(v),
    delta: signedMoney,
  },
  // Expected cash beside its bad case, as the plan headline and the vote give both.
  {
    label: 'Expected cash generated',
    key: 'cashFlow',
    format: (v) => money(v),
    delta: signedMoney,
  },
  {
    label: 'Cash generated in a bad case',
    key: 'cashFlowP10',
    format: (v) => money(v),
    delta: signedMoney,
  },
  {
    label: 'Expected peak working capital',
    key: 'workingCapital',
    format: (v) => money(v),
    delta: signedMoney,
  },
  // The high side is the bad one: more cash tied up (the P90).
  {
    label: 'Peak working capital in a bad case',
    key: 'workingCapitalP90',
    format: (v) => money(v),
    delta: signedMoney,
    optional: true,
  },
];

/** Each plan at the demand it plans for: the what-if's own assumptions, central's forecast. */
const PLANNED: readonly Diff[] = [
  // The plan's cash costs: the solver's penalties (backlog, lost sales, safety stock) steer
  // it but are not money anyone pays, so they stay out.
  { label: 'Making cost', key: 'makingCost', format: (v) => money(v), delta: signedMoney },
  { label: 'Fill rate', key: 'fillRate', format: (v) => pct(v), delta: points },
  { label: 'Margin', key: 'grossMargin', format: (v) => money(v), delta: signedMoney },
  { label: 'Peak utilisation', key: 'peakUtilisation', format: (v) => pct(v), delta: points },
  {
    label: 'Overloaded resource-months',
    key: 'overloads',
    format: (v) => count(v),
    delta: signedCount,
  },
];

/**
 * If the what-if's demand change happens: how each plan serves it, what it earns, and the
 * cash and working capital it takes (more demand is more stock and more owed by customers),
 * the same figures as against the forecast's samples.
 */
const IF_IT_HAPPENS: readonly Diff[] = STRESSED;

/** Both plans' stress figures against the demand samples with the what-if's change in them. */
export interface IfItHappens {
  readonly central: Kpis;
  readonly whatIf: Kpis;
}

/**
 * The heading of a demand what-if message's first section: both plans against the demand
 * samples with the change in them, the figures its chart draws (`scenarioChart`'s
 * `samplesSection`, with `samples: 'changed'`).
 */
export const IF_IT_HAPPENS_SECTION = 'If it happens';

/**
 * The heading of a what-if message's section that sets both plans against the forecast's own
 * demand samples. A demand what-if gives it second, after what happens if the change comes
 * (the section its chart draws); any other what-if gives it first, and its chart draws it.
 */
export function forecastSamplesSection(demandChanged: boolean): string {
  return demandChanged ? 'If demand comes as forecast' : 'Against the forecast’s demand samples';
}

/**
 * The comment of a what-if's chart, posted after the differences (the "Solving…" message
 * edited into them): which of their sections it draws.
 */
export function whatIfChartComment(section: string | null): string {
  return section === null
    ? '_The chart draws each plan at the demand it plans for, as above._'
    : `_The chart draws the figures under “${section}” above._`;
}

/**
 * The what-if against central (named by its label), one line per figure: value, then the
 * change. After the stress test it leads with both plans against the same demand samples,
 * then each plan at its own planned demand, under a heading that says which is which. A
 * what-if that changes demand leads with both plans against the samples with the change in
 * them (`ifItHappens`): what the question asks. The forecast's samples then say what
 * planning for the change costs if demand comes as forecast.
 */
export function whatIfDiff(
  text: string,
  central: ScenarioFigures,
  whatIf: ScenarioFigures,
  ifItHappens: IfItHappens | null = null,
  /** The run's months, which the money figures are totals over (said under the head). */
  horizon: readonly string[] = [],
  /**
   * Who asked (their display name), named on the first line, never mentioned: the answer is
   * their "Solving…" message edited, which named them, or posted anew when that was deleted.
   */
  askedBy?: string,
): string {
  const totals = moneyNote(
    horizon,
    true,
    openingCash(
      [central.kpis, whatIf.kpis],
      storedBillGap(central.stress) ?? storedBillGap(whatIf.stress),
      storedBillsEstimated(central.stress) || storedBillsEstimated(whatIf.stress),
    ),
  );
  const asker = askedBy === undefined ? '' : `, asked by ${escInMarks(askedBy)}`;
  const head = `*What-if:* ${esc(whatIfSpan(text))}${asker}${totals ? `\n_${totals}._` : ''}`;
  if (central.status !== 'optimal')
    return `${head}\n${esc(central.label)} has no plan (${central.status}): ${esc(central.message ?? '')}`.trim();
  if (whatIf.status !== 'optimal')
    return `${head}\nNo plan meets this what-if (${whatIf.status}). ${esc(whatIf.message ?? '')}`.trim();
  // The reference is named as the planners named it ("Central"), not a word of ours.
  const ref = esc(central.label);
  const lineOf =
    (c: Kpis, w: Kpis) =>
    (d: Diff): string[] => {
      const a = c[d.key];
      const b = w[d.key];
      if (typeof a !== 'number' || typeof b !== 'number')
        return d.optional ? [] : [`• ${d.label}: n/a`];
      // The line's amounts at one precision: "$75.0M (+$1.1M vs Central $73.9M)".
      const [now, change, before] = moneyAlike([d.format(b), d.delta(b, a), d.format(a)]);
      return [`• ${d.label}: ${now} (${change} vs ${ref} ${before})`];
    };
  const line = lineOf(central.kpis, whatIf.kpis);
  const stressed =
    typeof central.kpis.expectedMargin === 'number' &&
    typeof whatIf.kpis.expectedMargin === 'number';
  if (!stressed) return [head, ...PLANNED.flatMap(line)].join('\n');
  const planned = ['_Each plan at the demand it plans for:_', ...PLANNED.flatMap(line)];
  if (!ifItHappens)
    return [
      head,
      `_${forecastSamplesSection(false)} (both plans, the same samples; ${BAD_CASE_WORDS}):_`,
      ...STRESSED.flatMap(line),
      ...planned,
    ].join('\n');
  return [
    head,
    `_${IF_IT_HAPPENS_SECTION} (the change in every demand sample; ${ref}’s plan as made, the what-if’s made for it; ${BAD_CASE_WORDS}):_`,
    ...IF_IT_HAPPENS.flatMap(lineOf(ifItHappens.central, ifItHappens.whatIf)),
    `_${forecastSamplesSection(true)} (both plans, the forecast’s samples):_`,
    ...STRESSED.flatMap(line),
    ...planned,
  ].join('\n');
}
