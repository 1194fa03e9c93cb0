/**
 * `/sop help` says who may use each command, part by part, as the bot decides it: the expected
 * roles are written here by hand from README's "In Slack" table and docs/architecture.md's
 * "Who may do what" (not read from the policy or the registry under test). Each reader sees the
 * commands they may use first, then the others, each with its roles.
 */
import { describe, expect, it } from 'vitest';
import { SOP_SUBCOMMANDS } from '../../commands/sop-registry.js';
import type { Role } from '../../src/core/company.js';
import { commandHelpText, helpText } from '../../src/slack/presenters/help.js';

const SALES = 'Sales';
const OPS = 'Operations';
const PLANNER = 'Planner';
const EXEC = 'Executive';
const ADMIN = 'Admin';
const LABEL: Readonly<Record<Role, string>> = {
  sales: SALES,
  ops: OPS,
  planner: PLANNER,
  exec: EXEC,
  admin: ADMIN,
};

/** A use of a command, by how its usage starts, and who may use it. */
interface Expected {
  readonly starts: string;
  readonly who: readonly string[] | 'anyone';
  /** Also the action's owner (a relation, not a role). */
  readonly owner?: true;
}

const TABLE: readonly Expected[] = [
  { starts: '/forecast', who: [SALES, PLANNER, EXEC, ADMIN] },
  // README: "`/forecast no-change` declares no change for the families a sales rep covers
  // (reps only)".
  { starts: '/forecast no-change', who: [SALES] },
  // README: "A month in the frozen zone only executives and admins may change, as a flagged
  // exception"; a set by a planner, an executive or an admin overrides the other adjustments.
  { starts: '/forecast FAM-12 2027-01', who: [EXEC, ADMIN] },
  { starts: '/forecast FAM-12 2027-04 =1200', who: [PLANNER, EXEC, ADMIN] },
  { starts: '/capacity', who: [OPS, PLANNER, ADMIN] },
  { starts: '/sop help', who: 'anyone' },
  { starts: '/sop role', who: [ADMIN] },
  { starts: '/sop families', who: [PLANNER, ADMIN] },
  { starts: '/sop settings', who: [ADMIN] },
  { starts: '/sop cycle', who: 'anyone' },
  { starts: '/sop cycle start', who: [PLANNER, ADMIN] },
  { starts: '/sop cycle holidays', who: 'anyone' },
  { starts: '/sop cycle holidays add', who: [PLANNER, ADMIN] },
  { starts: '/sop pack', who: 'anyone' },
  { starts: '/sop pack [YYYY-MM] post', who: [PLANNER, EXEC, ADMIN] },
  { starts: '/sop vote', who: [PLANNER, EXEC, ADMIN] },
  { starts: '/sop vote mode', who: [ADMIN] },
  { starts: '/sop decide', who: [EXEC, ADMIN] },
  { starts: '/sop actions', who: 'anyone' },
  { starts: '/sop actions reassign', who: [ADMIN], owner: true },
  { starts: '/sop decisions', who: 'anyone' },
  { starts: '/sop plan', who: [PLANNER, ADMIN] },
  { starts: '/sop scenario', who: [PLANNER, ADMIN] },
  { starts: '/sop whatif', who: [PLANNER, EXEC, OPS, ADMIN] },
  { starts: '/sop status', who: 'anyone' },
  { starts: '/sop execution', who: [OPS, PLANNER, ADMIN] },
  { starts: '/sop constraints', who: 'anyone' },
  { starts: '/sop constraints resolve|withdraw', who: [OPS, PLANNER, ADMIN] },
  { starts: '/sop explain', who: 'anyone' },
];

/** The table's row for a usage: the longest `starts` it begins with, as a whole word. */
function rowOf(usage: string): Expected {
  const rows = TABLE.filter((r) => usage === r.starts || usage.startsWith(`${r.starts} `));
  const row = rows.sort((a, b) => b.starts.length - a.starts.length)[0];
  if (!row) throw new Error(`help lists ${usage}, which no row expects`);
  return row;
}

interface Line {
  readonly usage: string;
  /** The roles the line names (`— _…_`), the owner as 'owner'; null when it names none. */
  readonly who: readonly string[] | 'anyone' | null;
}

/** "Operations, Planner or Admin members" → its roles; "anyone" as is. */
function rolesNamed(text: string): readonly string[] | 'anyone' {
  if (text === 'anyone') return 'anyone';
  const owner = "the action's owner or ";
  const rest = text.startsWith(owner) ? text.slice(owner.length) : text;
  expect(rest.endsWith(' members')).toBe(true);
  const roles = rest.slice(0, -' members'.length).split(/, | or /);
  return text.startsWith(owner) ? ['owner', ...roles] : roles;
}

function linesOf(section: string): Line[] {
  return section
    .split('\n')
    .filter((l) => l.startsWith('• '))
    .map((l) => {
      const usage = /^• `([^`]+)`/.exec(l)?.[1] ?? '';
      const who = / — _(.+)_$/.exec(l)?.[1];
      return {
        usage,
        who: who === undefined ? null : rolesNamed(who.replace(/ \(you may\)$/, '')),
      };
    });
}

/** The roles a row expects a line to name. */
const expectedWho = (row: Expected) =>
  row.who === 'anyone' ? 'anyone' : row.owner ? ['owner', ...row.who] : row.who;

const READERS: readonly (Role | null)[] = ['sales', 'ops', 'planner', 'exec', 'admin', null];

describe('/sop help, for each reader', () => {
  for (const role of READERS) {
    const label = role ? LABEL[role] : 'no role';
    it(`${label}: theirs first, then the others with the roles the policy gives each part`, () => {
      const text = helpText(SOP_SUBCOMMANDS, { role });
      const [mineText = '', othersText = ''] = text.split('*Other commands*');
      expect(mineText.startsWith('*Your sopbot commands*')).toBe(true);
      const mine = linesOf(mineText);
      const others = linesOf(othersText);
      // Every use of every command, once.
      const seen = [...mine, ...others].map((l) => rowOf(l.usage).starts).sort();
      expect(seen).toEqual(TABLE.map((r) => r.starts).sort());
      const may = (row: Expected) =>
        row.who === 'anyone' || (role !== null && row.who.includes(LABEL[role]));
      for (const line of mine) {
        const row = rowOf(line.usage);
        // Theirs by their role (nothing more said), or as an action's owner (said so).
        if (may(row))
          expect({ usage: line.usage, who: line.who }).toEqual({ usage: line.usage, who: null });
        else {
          expect(row.owner).toBe(true);
          expect(line.who).toEqual(expectedWho(row));
        }
      }
      for (const line of others) {
        const row = rowOf(line.usage);
        expect(may(row)).toBe(false);
        expect(row.owner).toBeUndefined();
        expect({ usage: line.usage, who: line.who }).toEqual({ usage: line.usage, who: row.who });
      }
      // Slack advises message text under 4,000 characters (chat.postMessage, `text`).
      expect(text.length).toBeLessThan(4000);
    });
  }

  it('a sales rep reads /forecast among theirs and /sop plan among the others, by hand', () => {
    const text = helpText(SOP_SUBCOMMANDS, { role: 'sales' });
    const others = text.indexOf('*Other commands*');
    expect(text.indexOf('`/forecast FAM-12')).toBeLessThan(others);
    expect(text).toContain(
      '• `/sop plan` recompute the plan now; results in the thread — _Planner or Admin members_',
    );
    expect(text.indexOf('`/sop plan`')).toBeGreaterThan(others);
    expect(text.startsWith('*Your sopbot commands* (as Sales)')).toBe(true);
  });

  it("an admin may use every command but a rep's no-change declaration", () => {
    const others = helpText(SOP_SUBCOMMANDS, { role: 'admin' }).split('*Other commands*')[1];
    expect(linesOf(others ?? '').map((l) => l.usage)).toEqual(['/forecast no-change']);
  });
});

describe('/sop help <command>', () => {
  it('names each part of a command with its own roles, and whether the reader may', () => {
    const vote = commandHelpText(SOP_SUBCOMMANDS, 'vote', { role: 'exec' }) ?? '';
    const lines = linesOf(vote);
    expect(lines.map((l) => rowOf(l.usage).starts)).toEqual(['/sop vote', '/sop vote mode']);
    expect(lines.map((l) => l.who)).toEqual([[PLANNER, EXEC, ADMIN], [ADMIN]]);
    const [start, mode] = vote.split('\n').slice(1);
    expect(start?.endsWith('— _Planner, Executive or Admin members (you may)_')).toBe(true);
    expect(mode?.endsWith('— _Admin members_')).toBe(true);
    // A slash command too, by its name with or without the slash.
    expect(commandHelpText(SOP_SUBCOMMANDS, '/capacity', { role: 'sales' })).toContain(
      '— _Operations, Planner or Admin members_',
    );
    expect(commandHelpText(SOP_SUBCOMMANDS, 'cycle', { role: null })).toContain(
      '`/sop cycle start YYYY-MM',
    );
    expect(commandHelpText(SOP_SUBCOMMANDS, 'frobnicate', { role: null })).toBeNull();
  });

  it('/forecast: no-change, the frozen-month exception and the override are lines of their own', () => {
    // Before: one line, "Sales, Planner, Executive or Admin members", as if anyone of them could
    // change a frozen month or override the consensus, or declare no change (a planner read
    // "(you may)" beside `| no-change`, and the service refused them).
    const forecast = commandHelpText(SOP_SUBCOMMANDS, 'forecast', { role: 'planner' }) ?? '';
    const lines = linesOf(forecast);
    expect(lines.map((l) => rowOf(l.usage).starts)).toEqual([
      '/forecast',
      '/forecast no-change',
      '/forecast FAM-12 2027-01',
      '/forecast FAM-12 2027-04 =1200',
    ]);
    expect(lines.map((l) => l.who)).toEqual([
      [SALES, PLANNER, EXEC, ADMIN],
      [SALES],
      [EXEC, ADMIN],
      [PLANNER, EXEC, ADMIN],
    ]);
    const [, adjust, noChange, frozen, override] = forecast.split('\n');
    expect(adjust?.endsWith('(you may)_')).toBe(true);
    expect(adjust).not.toContain('no-change');
    expect(noChange?.endsWith('— _Sales members_')).toBe(true);
    expect(frozen).toContain('frozen zone');
    expect(frozen?.endsWith('— _Executive or Admin members_')).toBe(true);
    expect(override).toContain('=N overrides');
    expect(override?.endsWith('— _Planner, Executive or Admin members (you may)_')).toBe(true);
  });
});
