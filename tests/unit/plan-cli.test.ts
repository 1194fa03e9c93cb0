import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/plan.js';
import type { CliIo } from '../../src/cli/types.js';

async function plan(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => {
      err += s;
    },
    env: {},
  };
  const code = await run(argv, io);
  return { code, out, err };
}

describe('sopbot plan', () => {
  it('prints JSON with the total cost at the top level', async () => {
    const r = await plan('examples/plans/red-tomato-tools.json', '--format', 'json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.totalCost).toBe(422275);
    expect(json.status).toBe('optimal');
    expect(json.families).toHaveLength(6);
    expect(json.resources).toHaveLength(6);
    expect(Object.keys(json.kpis)).toContain('fillRate');
  });

  it('solves Red Tomato with whole workers at $422,660.00 and reports the gap and limit set', async () => {
    const r = await plan(
      'examples/plans/red-tomato-integer.json',
      '--time-limit',
      '20',
      '--gap',
      '0',
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/total\s+422,660\.00/);
    expect(r.out).toContain(
      'Whole numbers: proven optimal within a gap of 0.00% (target 0.00%, time limit 20 s).',
    );
    const bad = await plan('examples/plans/red-tomato-integer.json', '--gap', '2');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--gap: must be a share between 0 and 1, got '2'");
  });

  it('prints the shadow prices in a duals section of the JSON', async () => {
    const r = await plan('examples/plans/red-tomato-tools.json', '--format', 'json');
    const { duals } = JSON.parse(r.out);
    expect(duals.resources).toHaveLength(6);
    expect(duals.families).toHaveLength(6);
    // tests/unit/supply-duals.test.ts re-solves to confirm the figures; here, the shape.
    expect(duals.resources[3]).toMatchObject({ resource: 'CREW', period: '2027-04', unit: 'h' });
    expect(duals.binding[0]).toMatchObject({ kind: 'endingInventory', subject: 'TOOLS' });
    // Red Tomato's six crew months are priced as one whole hour each (no degenerate month).
    expect(duals.resources.map((d: { capacityKind: string }) => d.capacityKind)).toEqual(
      Array(6).fill('exact'),
    );
  });

  it('prints a dual among the shadow prices as "at most", with what that means', async () => {
    // The ending stock target is a dual (a rate of a small change), never solved for one unit.
    const r = await plan('examples/plans/red-tomato-tools.json');
    expect(r.out).toMatch(/endingInventory TOOLS 2027-06 \(500\): at most [\d,.]+ a unit less/);
    expect(r.out).toContain('  at most: the marginal rate: not re-solved for a whole unit');
  });

  it('prints tables with plan, cost by term and KPIs', async () => {
    const r = await plan('examples/plans/hand-two-months.json', '--strategy', 'level');
    expect(r.code).toBe(0);
    expect(r.out).toContain('level plan');
    expect(r.out).toMatch(/WIDGET\s+2027-01\s+80\s+115/);
    expect(r.out).toMatch(/total\s+2,520\.00/);
    expect(r.out).toContain('fill rate');
  });

  it('lists families and resources in code order (FAM-2 before FAM-10), as every listing does', async () => {
    const family = (code: string) => ({
      code,
      price: 30,
      unitCost: 10,
      holdingCost: 2,
      backlogCost: 8,
    });
    const file = join(mkdtempSync(join(tmpdir(), 'sopbot-plan-order-')), 'order.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'Code order',
        periods: ['2027-01'],
        // Written in text order, as the database's collation sorted them.
        families: [family('FAM-10'), family('FAM-2')],
        demand: [
          { family: 'FAM-10', period: '2027-01', units: 5 },
          { family: 'FAM-2', period: '2027-01', units: 5 },
        ],
        resources: [
          { code: 'LINE-10', unit: 'h', capacity: 100 },
          { code: 'LINE-2', unit: 'h', capacity: 100 },
        ],
        loads: [
          { family: 'FAM-10', resource: 'LINE-10', perUnit: 1 },
          { family: 'FAM-2', resource: 'LINE-2', perUnit: 1 },
        ],
      }),
    );
    const r = await plan(file);
    expect(r.code).toBe(0);
    const rows = r.out.split('\n').map((l) => l.trim().split(/\s+/)[0]);
    const at = (code: string) => rows.indexOf(code);
    expect(at('FAM-2')).toBeGreaterThanOrEqual(0);
    expect(at('FAM-2')).toBeLessThan(at('FAM-10'));
    expect(at('LINE-2')).toBeGreaterThanOrEqual(0);
    expect(at('LINE-2')).toBeLessThan(at('LINE-10'));
  });

  it('explains an infeasible plan on stderr and exits 1', async () => {
    const r = await plan('examples/plans/infeasible-line-2.json');
    expect(r.code).toBe(1);
    expect(r.err).toContain('Demand for FAM-3 in 2027-04 cannot be met');
  });

  it('reads a plan file saved with a byte-order mark, as Notepad saves it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sopbot-plan-bom-'));
    const file = join(dir, 'bom.json');
    const text = readFileSync('examples/plans/hand-two-months.json', 'utf8');
    writeFileSync(file, `\uFEFF${text.replaceAll('\n', '\r\n')}`);
    // Before: "bom.json:1:1: not valid JSON (Unexpected token '\uFEFF' …)", exit 1.
    const withMark = await plan(file, '--format', 'json');
    const plain = await plan('examples/plans/hand-two-months.json', '--format', 'json');
    expect(withMark.err).toBe('');
    expect(withMark.code).toBe(0);
    // The same plan (solverSeconds, a time, left out).
    const { solverSeconds: _a, ...read } = JSON.parse(withMark.out);
    const { solverSeconds: _b, ...expected } = JSON.parse(plain.out);
    expect(read).toEqual(expected);
  });

  it('rejects a bad strategy with the usage', async () => {
    const r = await plan('examples/plans/hand-two-months.json', '--strategy', 'greedy');
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "--strategy: must be one of optimal, chase, chase-stock, chase-workforce, level, got 'greedy'",
    );
  });

  it('points at the line of broken JSON and at the bad field of a bad problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sopbot-plan-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{\n  "periods": ["2027-01"],\n  "families": [,]\n}\n');
    const a = await plan(broken);
    expect(a.code).toBe(1);
    expect(a.err).toContain(`${broken}:3:`);
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ periods: ['2027-01'], families: [{ code: 'A' }], demand: [] }),
    );
    const b = await plan(bad);
    expect(b.code).toBe(1);
    expect(b.err).toContain('families[0].unitCost:');
  });

  it('compares the default scenarios and a what-if on one grid', async () => {
    const r = await plan(
      'examples/plans/three-families-two-lines.json',
      '--scenarios',
      '--what-if',
      'demand FAM-3 +20%; subcontracting off',
      '--format',
      'json',
    );
    const json = JSON.parse(r.out);
    expect(json.grid.columns.map((c: { name: string }) => c.name)).toEqual([
      'central',
      'cautious',
      'ambitious',
      'what-if',
    ]);
    const sub = json.grid.rows.find((x: { metric: string }) => x.metric === 'subcontractCost');
    expect(sub.values[3]).toBe(0);
    expect(sub.values[0]).toBeGreaterThan(0);
    // The stress test's rows, with the metric names of the issue.
    const metrics = json.grid.rows.map((x: { metric: string }) => x.metric);
    for (const m of [
      'expectedFillRate',
      'serviceAtRisk',
      'expectedEndingInventoryValue',
      'excessInventoryValue',
      'cashFlow',
      'cashFlowP10',
      'workingCapital',
      'cashCost',
      'penaltyCost',
    ])
      expect(metrics).toContain(m);
  });

  it('runs the plan file’s own scenarios against its p10/p90 and stress settings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sopbot-plan-'));
    const base = JSON.parse(readFileSync('examples/plans/three-families-two-lines.json', 'utf8'));
    const file = join(dir, 'plan.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...base,
        demand: base.demand.map((d: { units: number }) => ({
          ...d,
          p10: d.units * 0.7,
          p90: d.units * 1.4,
        })),
        scenarios: [
          { name: 'central', label: 'Central' },
          { name: 'lean', label: 'Lean', overtime: false, stockCoverDays: 3 },
        ],
        stress: { samples: 50, seed: 9, fixedMonths: 2 },
        cash: { dsoDays: 30, dpoDays: 60, coverMonths: 2 },
      }),
    );
    const a = await plan(file, '--scenarios', '--format', 'json');
    const b = await plan(file, '--scenarios', '--format', 'json');
    const grid = JSON.parse(a.out).grid;
    expect(grid.columns.map((c: { name: string }) => c.name)).toEqual(['central', 'lean']);
    // Uncertain demand: the P10 of fill rate is below its expected value.
    const row = (m: string) => grid.rows.find((x: { metric: string }) => x.metric === m).values;
    expect(row('serviceAtRisk')[0]).toBeLessThan(row('expectedFillRate')[0]);
    expect(JSON.stringify(JSON.parse(b.out).grid)).toBe(JSON.stringify(grid));
  });

  it('names a bad p10 or scenario in a plan file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sopbot-plan-'));
    const base = JSON.parse(readFileSync('examples/plans/hand-two-months.json', 'utf8'));
    const file = join(dir, 'plan.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...base,
        demand: [{ family: 'WIDGET', period: '2027-01', units: 80, p10: 90 }, base.demand[1]],
        scenarios: [{ name: 'Central', label: 'Central' }],
      }),
    );
    const r = await plan(file, '--scenarios');
    expect(r.code).toBe(1);
    expect(r.err).toContain('scenarios[0].name: must be a short lower-case name');
    writeFileSync(
      file,
      JSON.stringify({
        ...base,
        demand: [{ family: 'WIDGET', period: '2027-01', units: 80, p10: 90 }, base.demand[1]],
      }),
    );
    const p = await plan(file, '--scenarios');
    expect(p.code).toBe(1);
    expect(p.err).toContain('demand[0].p10: 90 is above units (80)');
  });

  it('says which what-if syntax was expected', async () => {
    const r = await plan(
      'examples/plans/hand-two-months.json',
      '--what-if',
      'capacity LINE -50 2027-01',
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('`-50` is not a percentage like +20% or -50%');
    const u = await plan(
      'examples/plans/hand-two-months.json',
      '--what-if',
      'capacity LINE-7 -50%',
    );
    expect(u.code).toBe(2);
    expect(u.err).toContain("names resource 'LINE-7', which is not in the plan");
  });

  it('refuses a what-if of 0%, as /sop whatif does, before solving anything', async () => {
    const r = await plan(
      'examples/plans/hand-two-months.json',
      '--what-if',
      'overtime off; capacity LINE +0% 2027-01..2027-02',
    );
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(
      '--what-if: `capacity LINE 0% 2027-01..2027-02` changes nothing, so the what-if would be Central again. Give a change to try, e.g. `capacity LINE +10% 2027-01..2027-02` or `capacity LINE -5% 2027-01..2027-02`.',
    );
  });
});
