/**
 * `/sop help` says who may use each command, part by part, as the bot decides it: the expected
 * roles are written here by hand from README's "In Slack" table and docs/architecture.md's
 * "Who may do what" (not read from the policy or the registry under test). Each reader sees the
 * commands they may use in full, under what they are for, then the others on short lines, one
 * for each set of roles that may use them, by a short name written here by hand too.
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
  /** How the short line of the others names it. */
  readonly brief: string;
  /** The heading it is listed under among the reader's own (`/sop help` itself ends the list). */
  readonly group: string | null;
}

const CYCLE = 'The cycle';
const FORECASTS = 'Forecasts';
const CAPACITY = 'Capacity';
const PLANS = 'Plans';
const MEETING = 'The meeting';
const ACTIONS = 'Execution and actions';
const SETUP = 'Setup';

const TABLE: readonly Expected[] = [
  {
    starts: '/forecast',
    who: [SALES, PLANNER, EXEC, ADMIN],
    brief: '`/forecast`',
    group: FORECASTS,
  },
  // README: "`/forecast no-change` declares no change for the families a sales rep covers
  // (reps only)".
  {
    starts: '/forecast no-change',
    who: [SALES],
    brief: '`/forecast no-change`',
    group: FORECASTS,
  },
  // README: "A month in the frozen zone only executives and admins may change, as a flagged
  // exception"; a set by a planner, an executive or an admin overrides the other adjustments.
  {
    starts: '/forecast FAM-12 2027-01',
    who: [EXEC, ADMIN],
    brief: '`/forecast` in the frozen zone',
    group: FORECASTS,
  },
  {
    starts: '/forecast FAM-12 2027-04 =1200',
    who: [PLANNER, EXEC, ADMIN],
    brief: '`/forecast =N` overriding the reps',
    group: FORECASTS,
  },
  { starts: '/capacity', who: [OPS, PLANNER, ADMIN], brief: '`/capacity`', group: CAPACITY },
  { starts: '/sop help', who: 'anyone', brief: '`/sop help`', group: null },
  { starts: '/sop role', who: [ADMIN], brief: '`/sop role`', group: SETUP },
  { starts: '/sop families', who: [PLANNER, ADMIN], brief: '`/sop families`', group: SETUP },
  { starts: '/sop settings', who: [ADMIN], brief: '`/sop settings`', group: SETUP },
  { starts: '/sop cycle', who: 'anyone', brief: '`/sop cycle`', group: CYCLE },
  {
    starts: '/sop cycle start',
    who: [PLANNER, ADMIN],
    brief: '`/sop cycle start|next|close|deadlines`',
    group: CYCLE,
  },
  { starts: '/sop cycle holidays', who: 'anyone', brief: '`/sop cycle holidays`', group: CYCLE },
  {
    starts: '/sop cycle holidays add',
    who: [PLANNER, ADMIN],
    brief: '`/sop cycle holidays add|remove`',
    group: CYCLE,
  },
  { starts: '/sop pack', who: 'anyone', brief: '`/sop pack`', group: MEETING },
  {
    starts: '/sop pack [YYYY-MM] post',
    who: [PLANNER, EXEC, ADMIN],
    brief: '`/sop pack post`',
    group: MEETING,
  },
  { starts: '/sop vote', who: [PLANNER, EXEC, ADMIN], brief: '`/sop vote`', group: MEETING },
  { starts: '/sop vote mode', who: [ADMIN], brief: '`/sop vote mode|quorum`', group: MEETING },
  { starts: '/sop decide', who: [EXEC, ADMIN], brief: '`/sop decide`', group: MEETING },
  { starts: '/sop actions', who: 'anyone', brief: '`/sop actions`', group: ACTIONS },
  {
    starts: '/sop actions reassign',
    who: [ADMIN],
    owner: true,
    brief: '`/sop actions reassign|done`',
    group: ACTIONS,
  },
  { starts: '/sop decisions', who: 'anyone', brief: '`/sop decisions`', group: MEETING },
  { starts: '/sop plan', who: [PLANNER, ADMIN], brief: '`/sop plan`', group: PLANS },
  { starts: '/sop scenario', who: [PLANNER, ADMIN], brief: '`/sop scenario`', group: PLANS },
  { starts: '/sop whatif', who: [PLANNER, EXEC, OPS, ADMIN], brief: '`/sop whatif`', group: PLANS },
  { starts: '/sop status', who: 'anyone', brief: '`/sop status`', group: CYCLE },
  {
    starts: '/sop execution',
    who: [OPS, PLANNER, ADMIN],
    brief: '`/sop execution`',
    group: ACTIONS,
  },
  { starts: '/sop constraints', who: 'anyone', brief: '`/sop constraints`', group: CAPACITY },
  {
    starts: '/sop constraints resolve|withdraw',
    who: [OPS, PLANNER, ADMIN],
    brief: '`/sop constraints resolve|withdraw`',
    group: CAPACITY,
  },
  { starts: '/sop explain', who: 'anyone', brief: '`/sop explain`', group: PLANS },
  // The message shortcuts, by the name a message's ⋯ menu shows (README: "Explain this" for
  // anyone; "Make an S&OP action" for planners, executives and admins), escaped as mrkdwn.
  { starts: '*Explain this*', who: 'anyone', brief: '*Explain this*', group: PLANS },
  {
    starts: '*Make an S&amp;OP action*',
    who: [PLANNER, EXEC, ADMIN],
    brief: '*Make an S&amp;OP action*',
    group: ACTIONS,
  },
];

/** A line's use: "• `usage` …" for a command, "• *Name* (a message's ⋯ menu) …" for a shortcut. */
const usageOf = (l: string) => /^• `([^`]+)`/.exec(l)?.[1] ?? /^• (\*[^*]+\*) /.exec(l)?.[1] ?? '';
const isUse = (l: string) => l.startsWith('• `') || l.startsWith('• *');

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

/** Each line that shows a use in full: "• `usage` summary — _who_". */
function linesOf(section: string): Line[] {
  return section
    .split('\n')
    .filter(isUse)
    .map((l) => {
      const usage = usageOf(l);
      const who = / — _(.+)_$/.exec(l)?.[1];
      return {
        usage,
        who: who === undefined ? null : rolesNamed(who.replace(/ \(you may\)$/, '')),
      };
    });
}

/** Each short line of the others: "• _Planner or Admin members_: `/sop plan`, `/sop scenario`". */
function shortLinesOf(section: string) {
  return section
    .split('\n')
    .filter((l) => l.startsWith('• _'))
    .map((l) => {
      const [, who = '', briefs = ''] = /^• _(.+?)_: (.+)$/.exec(l) ?? [];
      return { who: rolesNamed(who), briefs: briefs.split(', ') };
    });
}

/** The heading above each line of `text` that shows a use in full, by its usage. */
function headings(text: string): Map<string, string | null> {
  const out = new Map<string, string | null>();
  let heading: string | null = null;
  for (const l of text.split('\n')) {
    const title = /^\*([^*]+)\*$/.exec(l)?.[1];
    if (title !== undefined) heading = title;
    else if (l === '') heading = null;
    else if (isUse(l)) out.set(usageOf(l), heading);
  }
  return out;
}

const rowOfBrief = (brief: string) => {
  const row = TABLE.find((r) => r.brief === brief);
  if (!row) throw new Error(`help names ${brief}, which no row expects`);
  return row;
};

/** The roles a row expects a line to name. */
const expectedWho = (row: Expected) =>
  row.who === 'anyone' ? 'anyone' : row.owner ? ['owner', ...row.who] : row.who;

const READERS: readonly (Role | null)[] = ['sales', 'ops', 'planner', 'exec', 'admin', null];

describe('/sop help, for each reader', () => {
  for (const role of READERS) {
    const label = role ? LABEL[role] : 'no role';
    it(`${label}: theirs in full under what they are for, the others by roles on short lines`, () => {
      const text = helpText(SOP_SUBCOMMANDS, { role });
      const [mineText = '', othersText = ''] = text.split('*Other commands*');
      expect(mineText.startsWith('*Your sopbot commands*')).toBe(true);
      const mine = linesOf(text);
      const others = shortLinesOf(othersText);
      // Every use of every command, once: in full, or named on a short line.
      const seen = [
        ...mine.map((l) => rowOf(l.usage).starts),
        ...others.flatMap((l) => l.briefs.map((b) => rowOfBrief(b).starts)),
      ].sort();
      expect(seen).toEqual(TABLE.map((r) => r.starts).sort());
      const may = (row: Expected) =>
        row.who === 'anyone' || (role !== null && row.who.includes(LABEL[role]));
      const under = headings(text);
      for (const line of mine) {
        const row = rowOf(line.usage);
        // Theirs by their role (nothing more said), or as an action's owner (said so).
        if (may(row))
          expect({ usage: line.usage, who: line.who }).toEqual({ usage: line.usage, who: null });
        else {
          expect(row.owner).toBe(true);
          expect(line.who).toEqual(expectedWho(row));
        }
        expect({ usage: line.usage, under: under.get(line.usage) }).toEqual({
          usage: line.usage,
          under: row.group,
        });
      }
      for (const line of others)
        for (const brief of line.briefs) {
          const row = rowOfBrief(brief);
          expect(may(row)).toBe(false);
          expect(row.owner).toBeUndefined();
          expect({ brief, who: line.who }).toEqual({ brief, who: row.who });
        }
      // Anyone may explain a message; it ends with how to see one command in full.
      expect(mineText).toContain(
        "\n• *Explain this* (a message's ⋯ menu) where the figures in a sopbot message come from\n",
      );
      expect(text.split('\n').at(-1)).toBe(
        '• `/sop help [command]` with a command (`/sop help vote`), its parts and who may use each',
      );
      // Slack advises message text under 4,000 characters (chat.postMessage, `text`).
      expect(text.length).toBeLessThan(4000);
    });
  }

  it('a sales rep reads /forecast in full among theirs and /sop plan among the others, by hand', () => {
    const text = helpText(SOP_SUBCOMMANDS, { role: 'sales' });
    const others = text.indexOf('*Other commands*');
    expect(text.startsWith('*Your sopbot commands* (as Sales)\n')).toBe(true);
    expect(text).toContain(
      [
        '*Forecasts*',
        '• `/forecast FAM-12 2027-03..2027-05 +15% promotion "Spring campaign"` adjust the demand forecast (no text: a form)',
        '• `/forecast no-change` declare no change for the families you cover',
        '',
      ].join('\n'),
    );
    expect(text.indexOf('`/forecast FAM-12')).toBeLessThan(others);
    expect(text).toContain(
      '\n• _Planner or Admin members_: `/sop families`, `/sop cycle start|next|close|deadlines`, `/sop cycle holidays add|remove`, `/sop plan`, `/sop scenario`\n',
    );
    expect(text.indexOf('`/sop plan`')).toBeGreaterThan(others);
    // Another role's command is named, not written out.
    expect(text).not.toContain('recompute the plan now');
    expect(text).toContain(
      '\n• _Executive or Admin members_: `/forecast` in the frozen zone, `/sop decide`\n',
    );
  });

  it("an admin may use every command but a rep's no-change declaration", () => {
    const others = helpText(SOP_SUBCOMMANDS, { role: 'admin' }).split('*Other commands*')[1];
    expect(others?.split('\n').filter((l) => l.startsWith('• _'))).toEqual([
      '• _Sales members_: `/forecast no-change`',
    ]);
  });

  it('a reader with no role is told what they may do now and which admins give roles', () => {
    const text = helpText(SOP_SUBCOMMANDS, { role: null }, ['U_ADA', 'U_BO']);
    expect(text.split('\n')[0]).toBe(
      '*Your sopbot commands* (you have no role in sopbot yet; ask an admin, <@U_ADA> or <@U_BO>, to give you one with `/sop role`)',
    );
    expect(text).toContain('\n• `/sop status [owing]` phase, deadlines');
    expect(text).toContain(
      '\n• _Admin members_: `/sop role`, `/sop settings`, `/sop vote mode|quorum`\n',
    );
    // Seven admins: five by name, the rest counted.
    const seven = ['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7'];
    expect(helpText(SOP_SUBCOMMANDS, { role: null }, seven).split('\n')[0]).toContain(
      'ask an admin, <@U1>, <@U2>, <@U3>, <@U4>, <@U5> or 2 more, to give you one',
    );
    // None known: who gives roles, by role.
    expect(helpText(SOP_SUBCOMMANDS, { role: null }).split('\n')[0]).toBe(
      '*Your sopbot commands* (you have no role in sopbot yet; an admin gives one with `/sop role`)',
    );
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
