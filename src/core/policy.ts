/**
 * Who may do what: the one authorization table of sopbot. Commands, modals, buttons, the
 * App Home and the services ask `can(member, action)`; nothing else lists roles. Pure: the
 * member is resolved once per request by src/slack/member-context.ts.
 *
 * A role missing from a row is refused, admins included (an admin's vote does not count).
 * `'anyone'` rows are open to every Slack user, even one without a role yet. Rights that
 * come from a relation rather than a role (the chair of a vote, the owner of an action) are
 * checked next to the row that grants the same right by role.
 */
import type { Role } from './company.js';

export const POLICY = {
  /** /forecast (modal, typed, family pick). */
  'forecast.adjust': ['sales', 'planner', 'exec', 'admin'],
  /**
   * Cover families, and declare no change for them (`/forecast no-change`, "No change for my
   * families"): only these roles' declarations count (`repsOwingInput`). Another role keeps its
   * list for a return to Sales, asked of nobody.
   */
  'forecast.no-change': ['sales'],
  /** Change a month in the frozen zone, accepted as an exception and flagged (core/time-fences). */
  'forecast.frozen-exception': ['exec', 'admin'],
  /** A forecast `set` that overrides the reps' adjustments in the consensus (core/consensus). */
  'forecast.override': ['planner', 'exec', 'admin'],
  /** /capacity (modal, typed); resolve or withdraw a constraint (/sop constraints). */
  'capacity.update': ['ops', 'planner', 'admin'],
  /** A vote counts towards the tally (anyone may click; only these are counted). */
  'vote.counted': ['exec'],
  /** /sop vote: post the scenario vote. */
  'vote.start': ['planner', 'exec', 'admin'],
  /** /sop vote mode|quorum: how the next votes run. */
  'vote.configure': ['admin'],
  /** Close any vote (its chair always may). */
  'vote.close': ['admin'],
  /** Record the decision of a vote from its modal (the vote's chair always may). */
  'decision.record': ['exec', 'admin'],
  /** /sop decide: record a decision without a vote (typed, or its form's submission). */
  'decision.decide': ['exec', 'admin'],
  /**
   * Close, snooze or give to another owner (`/sop actions reassign`) anyone's follow-up
   * action (its owner always may).
   */
  'action.manage-any': ['admin'],
  /** Raise a follow-up action from a Slack message (the "Make an S&OP action" shortcut). */
  'action.raise': ['planner', 'exec', 'admin'],
  /** /sop cycle start|next|close|deadlines. */
  'cycle.manage': ['planner', 'admin'],
  /** /sop settings. */
  'settings.change': ['admin'],
  /**
   * Hear what Slack refuses to deliver for good (a channel the bot left, a person who left):
   * a DM when a job's post is refused, and the lines of `/sop status` until it is resolved.
   */
  'delivery.problems': ['admin'],
  /** /sop role. */
  'role.set': ['admin'],
  /** /sop families. */
  'families.assign': ['planner', 'admin'],
  /** /sop plan. */
  'plan.run': ['planner', 'admin'],
  /** /sop scenario and the scenario modal's submission. */
  'scenario.set': ['planner', 'admin'],
  /** /sop whatif. */
  'whatif.run': ['planner', 'exec', 'ops', 'admin'],
  /** /sop execution and the deviation form's submission. */
  'execution.report': ['ops', 'planner', 'admin'],
  /** /sop pack post: post the pack in the executive channel. */
  'pack.post': ['planner', 'exec', 'admin'],
  /** /sop pack (show, md), /sop status, /sop help, /sop decisions, /sop actions. */
  'cycle.read': 'anyone',
  /** /sop explain, its Share button and the "Explain this" shortcut. */
  explain: 'anyone',
} as const satisfies Record<string, readonly Role[] | 'anyone'>;

export type Action = keyof typeof POLICY;

export const ACTIONS = Object.keys(POLICY) as Action[];

/** The roles named in an action's row ('anyone' rows name none). */
export function rolesFor(action: Action): readonly Role[] {
  const row: readonly Role[] | 'anyone' = POLICY[action];
  return row === 'anyone' ? [] : row;
}

export function can(member: { readonly role: Role | null }, action: Action): boolean {
  const row: readonly Role[] | 'anyone' = POLICY[action];
  if (row === 'anyone') return true;
  return member.role !== null && row.includes(member.role);
}

/**
 * The roles that cover families (the 'forecast.no-change' row), for the queries that pick
 * those members out (`repsOwingInput`, `familyCoverage`, `ownerCandidates`).
 */
export function familyCoveringRoles(): readonly Role[] {
  return rolesFor('forecast.no-change');
}

/**
 * Whether `member`'s role covers families: owes forecast input on them, is nudged for it and
 * keeps them through `/sop families`. The 'forecast.no-change' row says who
 * (`familyCoveringRoles`); ask this, never compare a role with one of them.
 */
export function coversFamilies(member: { readonly role: Role | null }): boolean {
  return member.role !== null && familyCoveringRoles().includes(member.role);
}

export const ROLE_LABEL: Readonly<Record<Role, string>> = {
  sales: 'Sales',
  ops: 'Operations',
  planner: 'Planner',
  exec: 'Executive',
  admin: 'Admin',
};

/**
 * The roles the policy grants `action`, as a refusal names them: "Executive or Admin members".
 * Every refusal that names roles takes them from here, so none goes stale when the policy changes.
 */
export function roleNames(action: Action): string {
  const names = rolesFor(action).map((r) => ROLE_LABEL[r]);
  return `${names.join(', ').replace(/, ([^,]*)$/, ' or $1')} members`;
}
