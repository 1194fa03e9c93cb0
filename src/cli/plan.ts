/**
 * `sopbot plan <problem.json>`: solve one plan file (docs/plan-format.md) and print the plan,
 * its cost by term and its KPIs, as a table or as JSON (total cost at `totalCost`).
 */
import { DEFAULT_CASH, DEFAULT_STRESS } from '../core/scenarios/schema.js';
import { parseWhatIfs, WhatIfError, zeroWhatIfMessage } from '../core/scenarios/what-if.js';
import {
  applyScenario,
  applyWhatIfs,
  compareScenarios,
  DEFAULT_SCENARIOS,
  type MetricFormat,
  runScenarios,
  type ScenarioAssumptions,
} from '../core/scenarios.js';
import { formatQty } from '../core/supply/diagnose.js';
import { RATE_NOTE } from '../core/supply/duals.js';
import type { LpSolver } from '../core/supply/lp.js';
import { STRATEGIES } from '../core/supply/model.js';
import {
  type PlanProblem,
  PlanProblemError,
  parsePlanProblem,
  planProblemJsonSchema,
} from '../core/supply/problem.js';
import {
  type MipReport,
  type PlanResult,
  type SolvedPlan,
  solvePlan,
} from '../core/supply/solve.js';
import { compareCodes } from '../core/text.js';
import { SopError, UsageError, ValidationError } from '../errors.js';
import { createHighsSolver } from '../solver/highs.js';
import { choiceFlag, parseCommand, valueFlags } from './command.js';
import { readTextFile } from './text-file.js';
import type { CliIo } from './types.js';

const USAGE = `Usage: sopbot plan <problem.json> [--strategy optimal|chase-stock|chase-workforce|level] [--format table|json]
       sopbot plan <problem.json> --scenarios [--what-if "demand FAM-3 +20% 2027-04..2027-06; ..."]
       sopbot plan --print-schema
Solves the aggregate supply plan of a plan file (docs/plan-format.md) with HiGHS and prints
the plan per family and month, per resource and month, the cost by term and the KPIs.
  --strategy      optimal (default: the LP's free choice); chase-stock (alias chase: no stock
                  or new backlog, capacity flexes by the cheapest means, a crew may idle);
                  chase-workforce (the textbook chase: the crew is hired and laid off to make
                  exactly what each month needs, no overtime or subcontracting); level
                  (constant production and workforce)
  --format        table (default) or json (the total cost is the top-level "totalCost")
  --time-limit S  integer plans (whole workers, minimum orders): seconds before the best plan
                  found is returned (overrides options.mip.timeLimit, default 60)
  --gap G         integer plans: stop when within this relative gap (0.001 = 0.1%; overrides
                  options.mip.relativeGap, default 0.0001)
  --scenarios     solve the plan file's scenarios (default: central, cautious and
                  ambitious), play each against the same demand samples (the file's
                  p10/p90 and "stress") and print them on one grid
  --what-if TEXT  with --scenarios: add a what-if on top of central (';' between assumptions)
  --print-schema  print the JSON Schema of the plan file and exit`;

/** Offset of the first syntax error in a JSON text (Node 20's messages often omit it). */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] ?? '')) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail();
          value();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    const m = /^(?:"(?:[^"\\\n]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(
      text.slice(i, i + 10_000),
    );
    if (!m) fail();
    i += m?.[0].length ?? 0;
  };
  try {
    value();
    ws();
    return i < text.length ? i : -1;
  } catch (at) {
    return typeof at === 'number' ? at : -1;
  }
}

/** ':line:column' of the first JSON syntax error, or '' when it cannot be found. */
function jsonPosition(text: string): string {
  const at = jsonErrorOffset(text);
  if (at < 0) return '';
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const col = before.length - before.lastIndexOf('\n');
  return `:${line}:${col}`;
}

async function readPlanFile(file: string): Promise<PlanProblem> {
  const text = await readTextFile(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new ValidationError(`${file}${jsonPosition(text)}: not valid JSON (${msg})`);
  }
  try {
    return parsePlanProblem(json);
  } catch (err) {
    if (err instanceof PlanProblemError)
      throw new ValidationError(
        `${file}: the plan problem is not valid:\n  ${err.issues.join('\n  ')}`,
        err.issues,
      );
    throw err;
  }
}

const money = (n: number): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = (n: number | null): string => (n === null ? '-' : `${(n * 100).toFixed(1)}%`);

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function formatPlanTable(p: PlanProblem, r: SolvedPlan): string {
  const q = formatQty;
  const withMin = r.families.some((x) => x.minStock !== undefined);
  const withScrap = r.families.some((x) => x.scrapped !== undefined);
  const withOrders = r.resources.some(
    (x) => x.orderPeriod !== undefined || x.ordered !== undefined,
  );
  const fam = table(
    [
      'family',
      'month',
      'demand',
      'production',
      'subcontract',
      'inventory',
      ...(withMin ? ['min stock'] : []),
      'backlog',
      'lost',
      ...(withScrap ? ['scrapped'] : []),
      'frozen',
    ],
    [...r.families]
      .sort((a, b) => compareCodes(a.family, b.family))
      .map((x) => [
        x.family,
        x.period,
        q(x.demand),
        q(x.production),
        q(x.subcontract),
        q(x.inventory),
        ...(withMin ? [x.minStock === undefined ? '' : q(x.minStock)] : []),
        q(x.backlog),
        q(x.lostSales),
        ...(withScrap ? [x.scrapped === undefined ? '' : q(x.scrapped)] : []),
        x.frozen ? 'yes' : '',
      ]),
  );
  const res = table(
    [
      'resource',
      'month',
      'load',
      'capacity',
      'overtime',
      'ot limit',
      'workers',
      'hires',
      'layoffs',
      'util',
      ...(withOrders ? ['ordered in'] : []),
    ],
    [...r.resources]
      .sort((a, b) => compareCodes(a.resource, b.resource))
      .map((x) => [
        x.resource,
        x.period,
        q(x.load),
        q(x.capacity),
        q(x.overtime),
        q(x.overtimeLimit),
        x.workers === null ? '' : q(x.workers),
        q(x.hires),
        q(x.layoffs),
        pct(x.utilisation),
        ...(withOrders
          ? [
              x.orderPeriod === undefined && x.ordered === undefined
                ? ''
                : `${x.ordered === false ? 'no order' : (x.orderPeriod ?? '')}${x.fixedOrder ? ' (fixed)' : ''}`,
            ]
          : []),
      ]),
  );
  const costs = Object.entries(r.costs)
    .filter(([, v]) => v !== 0)
    .map(([k, v]) => `  ${k.padEnd(12)} ${money(v).padStart(16)}`);
  const k = r.kpis;
  const shadow = (r.duals?.binding ?? [])
    .slice(0, 5)
    .map(
      (b) =>
        `  ${b.kind} ${b.subject}${b.period ? ` ${b.period}` : ''} (${q(b.limit)}): ${b.exact ? '' : 'at most '}${money(b.value)} a unit ${b.relax === 'raise' ? 'more' : 'less'}`,
    );
  // A dual is the rate of a small change: what one whole unit saves is at most that.
  if (shadow.length > 0 && (r.duals?.binding ?? []).slice(0, 5).some((b) => !b.exact))
    shadow.push(`  at most: ${RATE_NOTE}`);
  return [
    `${p.name}: ${r.strategy} plan, ${p.periods[0]}..${p.periods[p.periods.length - 1]}`,
    '',
    fam,
    '',
    res,
    '',
    `Cost (${p.currency})`,
    ...costs,
    `  ${'total'.padEnd(12)} ${money(r.totalCost).padStart(16)}`,
    '',
    'KPIs',
    `  fill rate           ${pct(k.fillRate)}`,
    `  ending inventory    ${q(k.endingInventory)}`,
    `  average inventory   ${q(k.averageInventory)}`,
    `  utilisation         ${pct(k.averageUtilisation)} average, ${pct(k.peakUtilisation)} peak, ${k.tenseResourceMonths} resource-months above 90%`,
    ...(k.scrappedUnits !== undefined
      ? [`  scrapped            ${q(k.scrappedUnits)} units worth ${money(k.scrapValue ?? 0)}`]
      : []),
    ...(r.mip ? ['', mipLine(r.mip)] : []),
    ...(shadow.length > 0 ? ['', `Shadow prices (${p.currency} saved per unit)`, ...shadow] : []),
    '',
  ].join('\n');
}

/** One line on how an integer plan was solved: proven, or stopped by the time limit. */
export function mipLine(m: MipReport): string {
  const gap = `${(m.gap * 100).toFixed(2)}%`;
  return m.timeLimitHit
    ? `Whole numbers: stopped by the ${m.timeLimit} s time limit with the best plan found; it is at most ${gap} above the best possible.`
    : `Whole numbers: proven optimal within a gap of ${gap} (target ${(m.relativeGap * 100).toFixed(2)}%, time limit ${m.timeLimit} s).`;
}

function toJson(r: PlanResult): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await runPlan(argv, io);
  } catch (err) {
    if (!(err instanceof SopError)) throw err;
    io.stderr(`sopbot plan: ${err.message}\n`);
    return err.code === 'usage' ? 2 : 1;
  }
}

async function runPlan(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommand(
    argv,
    {
      strategy: { type: 'string', default: 'optimal' },
      format: { type: 'string', default: 'table' },
      'print-schema': { type: 'boolean' },
      scenarios: { type: 'boolean' },
      ...valueFlags('what-if', 'time-limit', 'gap'),
    },
    USAGE,
    io,
  );
  if (!args) return 0;
  const { values, positionals } = args;
  if (values['print-schema']) {
    io.stdout(`${JSON.stringify(planProblemJsonSchema(), null, 2)}\n`);
    return 0;
  }
  const strategy = choiceFlag('strategy', values.strategy, STRATEGIES, USAGE);
  const format = choiceFlag('format', values.format, ['table', 'json'], USAGE);
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0)
    throw new UsageError(`expected exactly one plan file, got ${positionals.length}\n\n${USAGE}`);
  const problem = withMipFlags(await readPlanFile(file), values['time-limit'], values.gap);
  if (values.scenarios || values['what-if'] !== undefined) {
    const list = scenarioList(values['what-if'], problem.scenarios);
    try {
      for (const a of list) applyScenario(problem, a);
    } catch (err) {
      if (err instanceof RangeError) throw new UsageError(err.message);
      throw err;
    }
    return runGrid(problem, await createHighsSolver(), list, format, io);
  }
  const solver = await createHighsSolver();
  const result = await solvePlan(problem, solver, { strategy });
  if (format === 'json') io.stdout(toJson(result));
  else if (result.status === 'optimal') io.stdout(formatPlanTable(problem, result));
  const pricing = result.status === 'optimal' ? result.duals?.pricingError : undefined;
  if (pricing)
    io.stderr(
      `sopbot plan: ${file}: pricing the "one more" steps failed, so the prices not yet re-solved are the duals' rates:\n${pricing.stack ?? pricing.message}\n`,
    );
  if (result.status !== 'optimal') {
    io.stderr(`sopbot plan: ${file}: ${result.message}\n`);
    return 1;
  }
  return 0;
}

/** --time-limit and --gap on top of the plan file's options.mip. */
function withMipFlags(
  p: PlanProblem,
  timeLimit: string | undefined,
  gap: string | undefined,
): PlanProblem {
  if (timeLimit === undefined && gap === undefined) return p;
  const num = (flag: string, v: string, ok: (n: number) => boolean, want: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || !ok(n))
      throw new UsageError(`--${flag}: must be ${want}, got '${v}'`);
    return n;
  };
  return {
    ...p,
    options: {
      ...p.options,
      mip: {
        timeLimit:
          timeLimit === undefined
            ? (p.options.mip?.timeLimit ?? 60)
            : num('time-limit', timeLimit, (n) => n > 0, 'a number of seconds > 0'),
        relativeGap:
          gap === undefined
            ? (p.options.mip?.relativeGap ?? 1e-4)
            : num('gap', gap, (n) => n >= 0 && n <= 1, 'a share between 0 and 1'),
      },
    },
  };
}

function scenarioList(
  whatIf: string | undefined,
  fromFile: readonly ScenarioAssumptions[] | undefined,
): ScenarioAssumptions[] {
  const list = [...(fromFile && fromFile.length > 0 ? fromFile : DEFAULT_SCENARIOS)];
  if (whatIf === undefined) return list;
  try {
    const central = list[0]!;
    const whatIfs = parseWhatIfs(whatIf);
    // +0% changes nothing: the what-if would be central again, as /sop whatif refuses it.
    const zero = zeroWhatIfMessage(whatIfs);
    if (zero) throw new UsageError(`--what-if: ${zero}`);
    list.push(applyWhatIfs(central, whatIfs, 'what-if', 'What-if'));
  } catch (err) {
    if (err instanceof WhatIfError) throw new UsageError(`--what-if: ${err.message}`);
    throw err;
  }
  return list;
}

function formatCell(v: number | null, format: MetricFormat): string {
  if (v === null) return '-';
  if (format === 'percent') return `${(v * 100).toFixed(1)}%`;
  if (format === 'money') return money(v);
  if (format === 'days') return v.toFixed(1);
  return formatQty(v);
}

async function runGrid(
  problem: PlanProblem,
  solver: LpSolver,
  scenarios: readonly ScenarioAssumptions[],
  format: string | undefined,
  io: CliIo,
): Promise<number> {
  const results = await runScenarios(problem, scenarios, solver, {
    stress: {
      samples: problem.stress?.samples ?? DEFAULT_STRESS.samples,
      seed: problem.stress?.seed ?? DEFAULT_STRESS.seed,
      fixedMonths: problem.stress?.fixedMonths ?? 3,
    },
    cash: problem.cash ?? DEFAULT_CASH,
  });
  const grid = compareScenarios(results);
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ grid, scenarios: results }, null, 2)}\n`);
  } else {
    const rows = grid.rows.map((r) => [
      r.label,
      r.unit,
      ...r.values.map((v) => formatCell(v, r.format)),
    ]);
    io.stdout(`${table(['metric', 'unit', ...grid.columns.map((c) => c.label)], rows)}\n`);
    for (const c of grid.columns) if (c.message) io.stdout(`\n${c.label}: ${c.message}\n`);
  }
  return results.every((r) => r.status === 'optimal') ? 0 : 1;
}
