import { describe, expect, it } from 'vitest';
import type { ActionRow, CycleRow, Phase } from '../../db/schema.js';
import type { Role } from '../../src/core/company.js';
import { homeView, memberSection } from '../../src/slack/presenters/home.js';
import { validateView } from '../../src/slack-standin/index.js';

const cycle: CycleRow = {
  id: 1,
  month: '2027-01',
  phase: 'data_gathering',
  deadlines: { data_gathering: '2027-01-06T17:00:00Z', demand_review: '2027-01-13T17:00:00Z' },
  phase_entered_at: new Date('2027-01-01T08:00:00Z'),
  opened_by: 'U1',
  opened_at: new Date('2027-01-01T08:00:00Z'),
  closed_at: null,
  adopted_scenario_id: null,
  skipped_holidays: {},
};

const action = (id: number): ActionRow => ({
  id: String(id),
  decision_id: null,
  cycle_id: 1,
  description: `Action ${id}`,
  owner: 'U1',
  due_date: '2027-01-20',
  status: 'open',
  snoozed_until: null,
  created_by: 'U2',
  created_at: new Date(),
  done_at: null,
  done_by: null,
  request_key: `k${id}`,
  source_channel: null,
  source_ts: null,
  source_thread_ts: null,
});

describe('App Home presenter', () => {
  it('shows role, families, phase with deadlines, submissions and actions, within the 100-block limit', () => {
    const view = homeView({
      member: { userId: 'U1', role: 'sales', families: ['FAM-1'], bootstrapAdmin: false },
      cycle,
      submissions: [
        {
          id: '9',
          family: 'FAM-1',
          period: '2027-05',
          kind: 'delta_units',
          value: -150,
          reasonCode: 'lost_customer',
          status: 'accepted',
          before: 1000,
          after: 850,
          createdAt: new Date(),
        },
      ],
      actions: Array.from({ length: 30 }, (_, i) => action(i + 1)),
      timezone: 'UTC',
    });
    expect(validateView(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = JSON.stringify(view);
    expect(text).toContain('Your role: *Sales*');
    // 2027-01-06T17:00Z is 1798761600 (1 Jan 00:00Z) + 5 days + 17 h = 1799254800.
    expect(text).toContain(
      'Data gathering: <!date^1799254800^{date_short_pretty} {time}|2027-01-06 17:00 UTC> ← now',
    );
    expect(text).toContain('*FAM-1* 2027-05 -150 (lost customer) 1,000 → 850 · accepted');
    expect(text).toContain('home_open_forecast');
    expect(text).not.toContain('home_open_capacity');
    expect(text).toContain('Action 20');
    expect(text).not.toContain('Action 21');
  });

  it('gives each deadline its time and zone as the other texts do, not a bare day', () => {
    // An Auckland company's demand review ends Tue 2027-01-12 at 17:00 NZDT (UTC+13), which is
    // 04:00Z the same day: 1798761600 (1 Jan 00:00Z) + 11 days + 4 h = 1799726400. A rep in
    // New York reads it as Mon 11 Jan 23:00 EST; the bare day "2027-01-12" it showed before
    // told neither the hour nor whose 12th. Data gathering ends Wed 6 Jan 17:00 NZDT = 04:00Z,
    // 1798761600 + 5 days + 4 h = 1799208000.
    const nz: CycleRow = {
      ...cycle,
      deadlines: {
        data_gathering: '2027-01-06T04:00:00Z',
        demand_review: '2027-01-12T04:00:00Z',
      },
    };
    const view = homeView({
      member: { userId: 'U1', role: 'sales', families: ['FAM-1'], bootstrapAdmin: false },
      cycle: nz,
      submissions: [],
      actions: [],
      owedFamilies: ['FAM-1'],
      timezone: 'Pacific/Auckland',
    });
    const text = JSON.stringify(view);
    const dg = '<!date^1799208000^{date_short_pretty} {time}|2027-01-06 17:00 Pacific/Auckland>';
    const dr = '<!date^1799726400^{date_short_pretty} {time}|2027-01-12 17:00 Pacific/Auckland>';
    expect(text).toContain(`Deadlines:\\n• Data gathering: ${dg} ← now\\n• Demand review: ${dr}`);
    expect(text).toContain(`before the demand review ends (its deadline: ${dr}).`);
  });

  it('without a cycle or a role it says what to do', () => {
    const text = JSON.stringify(
      homeView({
        member: { userId: 'U9', role: null, families: [], bootstrapAdmin: false },
        cycle: null,
        submissions: [],
        actions: [],
        timezone: 'UTC',
      }),
    );
    expect(text).toContain('_no role yet_');
    expect(text).toContain('No S&OP cycle is open');
    expect(text).toContain('No open follow-up actions.');
  });

  it('lists whole family codes and counts the rest when a rep covers 300 families of 64 characters', () => {
    // `FAM-007-` and 56 X's: 64 characters, the documented maximum.
    const codes = Array.from(
      { length: 300 },
      (_, i) => `FAM-${String(i + 1).padStart(3, '0')}-${'X'.repeat(56)}`,
    );
    expect(codes[0]).toHaveLength(64);
    const block = memberSection({
      userId: 'U1',
      role: 'sales',
      families: codes,
      bootstrapAdmin: false,
    });
    const text = block.type === 'section' ? (block.text?.text ?? '') : '';
    // By hand: head "Your role: *Sales*\nYour families: " is 11 + 7 + 1 + 15 = 34 chars, so
    // 2966 are left; a code with its backticks is 66, with ", " between codes; the "more" line
    // "_…and NNN more families: `/forecast` lists yours first._" is 6 + 3 + 16 + 11 + 20 = 56,
    // with its ", " 58. k codes fit when 66k + 2(k − 1) + 58 ≤ 2966, i.e. 68k ≤ 2910: k = 42,
    // so 258 more; length 34 + 42 × 66 + 41 × 2 + 2 + 56 = 2946.
    expect(text).toHaveLength(2946);
    expect(text.endsWith('_…and 258 more families: `/forecast` lists yours first._')).toBe(true);
    const listed = text
      .slice(text.indexOf('Your families: ') + 15)
      .split(', ')
      .slice(0, -1);
    expect(listed).toEqual(codes.slice(0, 42).map((c) => `\`${c}\``));
    expect(listed.length + 258).toBe(300);
    // A short list is shown whole, without a count.
    const few = memberSection({
      userId: 'U1',
      role: 'sales',
      families: ['FAM-1', 'FAM-2'],
      bootstrapAdmin: false,
    });
    expect(few.type === 'section' && few.text?.text).toBe(
      'Your role: *Sales*\nYour families: `FAM-1`, `FAM-2`',
    );
  });
});

describe('App Home presenter: only what its reader may use', () => {
  const home = (role: Role | null, phase: Phase | null, families: string[] = []) =>
    JSON.stringify(
      homeView({
        member: { userId: 'U1', role, families, bootstrapAdmin: false },
        cycle: phase ? { ...cycle, phase } : null,
        submissions: [],
        actions: [],
        timezone: 'UTC',
      }),
    );
  const pointer = 'None yet. Use `/forecast` or the buttons above.';

  it('points at /forecast only who may adjust the forecast, and only while it is taken', () => {
    // By hand from the policy: sales, planners, executives and admins adjust the forecast,
    // in data gathering and the demand review; operations and no role never.
    for (const role of ['sales', 'planner', 'exec', 'admin'] as const) {
      for (const phase of ['data_gathering', 'demand_review'] as const)
        expect({ role, phase, pointed: home(role, phase).includes(pointer) }).toEqual({
          role,
          phase,
          pointed: true,
        });
      for (const phase of ['supply_review', 'pre_sop', 'executive'] as const) {
        const text = home(role, phase);
        expect({ role, phase, pointed: text.includes(pointer) }).toEqual({
          role,
          phase,
          pointed: false,
        });
        expect(text).toContain('None this cycle.');
      }
    }
    // Who can never submit one has no such section at all.
    for (const role of ['ops', null] as const)
      for (const phase of ['data_gathering', 'demand_review', 'executive'] as const) {
        const text = home(role, phase);
        expect({ role, phase, section: text.includes('Your submissions this cycle') }).toEqual({
          role,
          phase,
          section: false,
        });
        expect(text).not.toContain('/forecast');
      }
  });

  it('lists families for a sales rep (none: who assigns them), not an empty line for the other roles', () => {
    expect(home('sales', 'demand_review')).toContain(
      'Your role: *Sales*\\nYour families: _none yet_ (Planner or Admin members assign them with `/sop families`)',
    );
    for (const role of ['ops', 'planner', 'exec', 'admin', null] as const)
      expect({ role, line: home(role, 'demand_review').includes('Your families') }).toEqual({
        role,
        line: false,
      });
    // A planner with families (only a former rep has any: `/sop families` gives them to reps
    // alone) sees them as kept from then, not as theirs.
    expect(home('planner', 'demand_review', ['FAM-1'])).toContain(
      'Families you covered as a sales rep (not asked of you now; yours again if an admin makes you Sales): `FAM-1`',
    );
  });

  it('without a cycle: planners and admins are told how to start one, the others who may', () => {
    for (const role of ['planner', 'admin'] as const)
      expect(home(role, null)).toContain(
        'No S&OP cycle is open. Start one with `/sop cycle start YYYY-MM`.',
      );
    for (const role of ['sales', 'ops', 'exec', null] as const)
      expect(home(role, null)).toContain(
        'No S&OP cycle is open. Planner or Admin members start one with `/sop cycle start YYYY-MM`.',
      );
  });

  it('a rep made planner: the families kept for a return to Sales are not called theirs, and no No-change button', () => {
    // `/sop role @rep planner` keeps their list (for a return to Sales) but nobody asks them for
    // input on it: before, their Home said "Your families: `FAM-1`, `FAM-2`" and offered
    // "No change for my families", a declaration no count reads (only reps are counted).
    const section = memberSection({
      userId: 'U1',
      role: 'planner',
      families: ['FAM-1', 'FAM-2'],
      bootstrapAdmin: false,
    });
    expect(section.type === 'section' && section.text?.text).toBe(
      'Your role: *Planner*\nFamilies you covered as a sales rep (not asked of you now; yours again if an admin makes you Sales): `FAM-1`, `FAM-2`',
    );
    const view = home('planner', 'data_gathering', ['FAM-1', 'FAM-2']);
    expect(view).not.toContain('Your families');
    expect(view).not.toContain('forecast_no_change');
    expect(view).toContain('home_open_forecast');
    // The rep, with the same families, keeps both.
    expect(home('sales', 'data_gathering', ['FAM-1', 'FAM-2'])).toContain('forecast_no_change');
  });
});
