/**
 * Text presenters for `/sop help` and `/sop settings`. Help names who may use each command from
 * the policy's row of what it does (src/core/policy.ts), never from a list of its own.
 */
import type { SettingsRow } from '../../../db/schema.js';
import type { Role } from '../../core/company.js';
import { effectivePhaseDays } from '../../core/cycle.js';
import { type Action, can, POLICY } from '../../core/policy.js';
import { ROLE_LABEL, roleNames } from '../../services/members.js';
import type { HelpEntry, SopSubcommand } from '../command-types.js';
import { newCycleDeadlinesText } from './cycle.js';
import { esc } from './format.js';
import { VOTE_MODE_WORDS } from './vote.js';

export const FORECAST_USAGE =
  '/forecast FAM-12 2027-03..2027-05 +15% promotion "Spring campaign"   (also =1200, +200, -10%, no-change; no text opens a form)';
export const CAPACITY_USAGE =
  '/capacity LINE-2 2027-01..2027-02 -30% maintenance "Overhaul"   (also =1200, -200; no text opens a form; a cut is a constraint until resolved or withdrawn with /sop constraints)';

/** A command as help lists it: its name (after the slash or `/sop`) and each of its uses. */
interface HelpCommand {
  readonly name: string;
  readonly uses: readonly HelpEntry[];
  /** Its forms written out, for `/sop help <command>` alone. */
  readonly forms?: readonly string[];
}

/** The subcommands help reads: their plain use, and the parts that need another row. */
export type HelpSubcommand = Pick<
  SopSubcommand,
  'name' | 'usage' | 'summary' | 'action' | 'parts' | 'forms'
>;

/** The one who asked: help puts what their role may use first. */
export interface HelpReader {
  readonly role: Role | null;
}

/** `/forecast` and `/capacity`, then every `/sop` subcommand, each with all its uses. */
function commandsOf(subs: readonly HelpSubcommand[]): HelpCommand[] {
  return [
    {
      name: 'forecast',
      uses: [
        // The manifest's usage hint for /forecast, as Slack shows it while typing.
        {
          usage: FORECAST_USAGE.split('   ')[0] ?? FORECAST_USAGE,
          summary: 'adjust the demand forecast (no text: a form)',
          action: 'forecast.adjust',
        },
        // Its own rule: only a rep covers families and declares no change for them.
        {
          usage: '/forecast no-change',
          summary: 'declare no change for the families you cover',
          action: 'forecast.no-change',
          brief: '`/forecast no-change`',
        },
        // Two rules of the policy on the same command, each its own line with its own roles.
        {
          usage: '/forecast FAM-12 2027-01 +20% promotion',
          summary: 'a month in the frozen zone: accepted as an exception, flagged',
          action: 'forecast.frozen-exception',
          brief: '`/forecast` in the frozen zone',
        },
        {
          usage: '/forecast FAM-12 2027-04 =1200 other',
          summary:
            "=N overrides the month's other adjustments (a sales rep's =N replaces the baseline)",
          action: 'forecast.override',
          brief: '`/forecast =N` overriding the reps',
        },
      ],
    },
    {
      name: 'capacity',
      uses: [
        {
          usage: CAPACITY_USAGE.split('   ')[0] ?? CAPACITY_USAGE,
          summary: "update a resource's capacity (no text opens a form)",
          action: 'capacity.update',
        },
      ],
    },
    ...subs.map((s) => ({
      name: s.name,
      uses: [{ usage: s.usage, summary: s.summary, action: s.action }, ...(s.parts ?? [])],
      ...(s.forms ? { forms: s.forms } : {}),
    })),
  ];
}

/**
 * The message shortcuts of manifest.json (a message's ⋯ menu), each as help lists it: its name
 * as Slack shows it, what it does, and the policy row that allows it.
 */
export const SHORTCUTS: readonly {
  readonly name: string;
  readonly summary: string;
  readonly action: Action;
}[] = [
  {
    name: 'Explain this',
    summary: 'where the figures in a sopbot message come from',
    action: 'explain',
  },
  {
    name: 'Make an S&OP action',
    summary: 'turn a message into a follow-up action with an owner and a due date',
    action: 'action.raise',
  },
];

/**
 * What each command (or message shortcut, by its name) is for: the headings `/sop help` lists
 * the reader's own under, in this order. `/sop help` itself ends the list; a command named in
 * none comes before it, under "More".
 */
const GROUPS: readonly { readonly title: string; readonly commands: readonly string[] }[] = [
  { title: 'The cycle', commands: ['cycle', 'status'] },
  { title: 'Forecasts', commands: ['forecast'] },
  { title: 'Capacity', commands: ['capacity', 'constraints'] },
  { title: 'Plans', commands: ['plan', 'scenario', 'whatif', 'explain', 'Explain this'] },
  { title: 'The meeting', commands: ['pack', 'vote', 'decide', 'decisions'] },
  { title: 'Execution and actions', commands: ['execution', 'actions', 'Make an S&OP action'] },
  { title: 'Setup', commands: ['role', 'families', 'settings'] },
];

/** Who may use `use`, from its policy row: "anyone", "Planner or Admin members", … */
function whoMay(use: Pick<HelpEntry, 'action' | 'alsoBy'>): string {
  const roles = POLICY[use.action] === 'anyone' ? 'anyone' : roleNames(use.action);
  return use.alsoBy ? `${use.alsoBy} or ${roles}` : roles;
}

const line = (use: HelpEntry, who?: string) =>
  `• \`${esc(use.usage)}\` ${esc(use.summary)}${who ? ` — _${who}_` : ''}`;

/** The commands of `commandsOf` that are slash commands of their own, not `/sop` subcommands. */
const SLASH_COMMANDS = ['forecast', 'capacity'];

/** A command as typed: `/forecast`, `/sop vote`. */
const typed = (command: HelpCommand) =>
  `${SLASH_COMMANDS.includes(command.name) ? '/' : '/sop '}${command.name}`;

/** How the short list of others' commands names a use: its `brief`, else the command in code. */
const briefOf = (command: HelpCommand, use: HelpEntry) => use.brief ?? `\`${typed(command)}\``;

/** How many admins a reader with no role is told to ask, by name. */
const ADMINS_NAMED = 5;

/** Who gives a reader with no role one: the admins by name when known ("<@A> or <@B>"). */
function askAdmin(admins: readonly string[]): string {
  if (admins.length === 0) return 'an admin gives one with `/sop role`';
  const named = admins.slice(0, ADMINS_NAMED).map((a) => `<@${a}>`);
  const more = admins.length - named.length;
  const who =
    more > 0
      ? `${named.join(', ')} or ${more} more`
      : named.join(', ').replace(/, ([^,]*)$/, ' or $1');
  return `ask an admin, ${who}, to give you one with \`/sop role\``;
}

/**
 * `/sop help`: the commands `reader` may use (by their role, or by a relation such as an
 * action's owner, which then says so) in full, under what they are for; then the others on a
 * few short lines, one for each set of roles that may use them; last `/sop help` itself, which
 * shows one in full. A reader with no role is told who gives roles: `admins` (the members the
 * policy lets give roles), by id, when known.
 */
export function helpText(
  subs: readonly HelpSubcommand[],
  reader: HelpReader,
  admins: readonly string[] = [],
): string {
  const commands = commandsOf(subs);
  const mayUse = (u: HelpEntry) => can(reader, u.action) || u.alsoBy !== undefined;
  const grouped = (name: string) =>
    name === 'help' || GROUPS.some((g) => g.commands.includes(name));
  const groups = [
    ...GROUPS,
    { title: 'More', commands: commands.map((c) => c.name).filter((n) => !grouped(n)) },
  ];
  const linesOf = (name: string): string[] => {
    const shortcut = SHORTCUTS.find((s) => s.name === name);
    if (shortcut)
      return can(reader, shortcut.action)
        ? [`• *${esc(shortcut.name)}* (a message's ⋯ menu) ${esc(shortcut.summary)}`]
        : [];
    return (commands.find((c) => c.name === name)?.uses ?? [])
      .filter(mayUse)
      .map((u) => line(u, can(reader, u.action) ? undefined : whoMay(u)));
  };
  const mine = groups.flatMap((g) => {
    const lines = g.commands.flatMap(linesOf);
    return lines.length ? [`*${g.title}*`, ...lines] : [];
  });
  // The others, one line per set of roles, in the order the commands first name each set.
  const others = new Map<string, string[]>();
  const add = (who: string, brief: string) => others.set(who, [...(others.get(who) ?? []), brief]);
  for (const c of commands.filter((c) => c.name !== 'help'))
    for (const u of c.uses.filter((u) => !mayUse(u))) add(whoMay(u), briefOf(c, u));
  for (const s of SHORTCUTS.filter((s) => !can(reader, s.action)))
    add(whoMay(s), `*${esc(s.name)}*`);
  const as = reader.role
    ? `as ${ROLE_LABEL[reader.role]}`
    : `you have no role in sopbot yet; ${askAdmin(admins)}`;
  return [
    `*Your sopbot commands* (${as})`,
    ...mine,
    ...(others.size
      ? [
          '',
          '*Other commands*, for the members named',
          ...[...others].map(([who, briefs]) => `• _${who}_: ${briefs.join(', ')}`),
        ]
      : []),
    '',
    ...(commands.find((c) => c.name === 'help')?.uses ?? []).map((u) => line(u)),
  ].join('\n');
}

/**
 * `/sop help <command>`: each use of one command with who may use it, and whether `reader`
 * may; null when no command has that name (`/sop` subcommand or slash command, with or
 * without its slash).
 */
export function commandHelpText(
  subs: readonly HelpSubcommand[],
  name: string,
  reader: HelpReader,
): string | null {
  const wanted = name.replace(/^\/(sop\s+)?/, '').toLowerCase();
  const command = commandsOf(subs).find((c) => c.name === wanted);
  if (!command) return null;
  return [
    `*\`${typed(command)}\`*: who may use each part`,
    ...command.uses.map((u) => line(u, `${whoMay(u)}${can(reader, u.action) ? ' (you may)' : ''}`)),
    ...(command.forms?.length
      ? ['', '*Each form*', ...command.forms.map((f) => `\`${esc(f)}\``)]
      : []),
  ].join('\n');
}

/** The names `/sop help <command>` knows, as a refusal lists them. */
export function helpCommandNames(subs: readonly HelpSubcommand[]): string[] {
  return commandsOf(subs).map((c) => c.name);
}

const months = (n: number) => `${n} month${n === 1 ? '' : 's'}`;

const chan = (id: string | null) => (id ? `<#${id}>` : '_not set_');

export function settingsText(s: SettingsRow): string {
  return [
    '*sopbot settings*',
    `• Channels: demand ${chan(s.demand_channel)}, supply ${chan(s.supply_channel)}, exec ${chan(s.exec_channel)}`,
    `• Horizon: ${months(s.horizon_months)}; frozen ${months(s.frozen_months)}, slushy ${months(s.slushy_months)}`,
    `• A comment is required for changes over ${s.comment_threshold_pct}%`,
    `• S&OE: deviations at production ${s.soe_production_shortfall_pct}% below plan, receipts ${s.soe_receipt_shortfall_pct}% short; frozen-zone break at ${s.soe_frozen_break_pct}%; owners get ${s.soe_due_days} working days`,
    `• Votes: ${VOTE_MODE_WORDS[s.vote_mode]}, ${s.vote_quorum === null ? 'no quorum' : `quorum ${s.vote_quorum}`} (\`/sop vote mode|quorum\`)`,
    `• Deadlines of new cycles: ${newCycleDeadlinesText(s.deadline_time, s.timezone, effectivePhaseDays(s.phase_days))} (\`/sop cycle deadlines\`)`,
  ].join('\n');
}
