/**
 * The App Home tab: who you are in sopbot, the cycle, what it asks of you now, your submissions
 * and your actions.
 */
import type { types } from '@slack/bolt';
import type { SubmissionRow } from '../../../db/queries/adjustments.js';
import type { ActionRow, CycleRow, Phase } from '../../../db/schema.js';
import { PHASE_ORDER } from '../../core/cycle.js';
import { can } from '../../core/policy.js';
import { adjustmentsOpen, PHASE_LABEL } from '../../services/cycles.js';
import type { HomeVote } from '../../services/home.js';
import { type Member, ROLE_LABEL, roleNames } from '../../services/members.js';
import { homeActionItems } from './actions.js';
import { STATUS_OWING, skippedHolidaysNote } from './cycle.js';
import { andMore, fitLines, fitText, SECTION_TEXT_CHARS } from './fit.js';
import { clip, esc, escInMarks, fmtChange, fmtQty, mrkdwn, plain, slackDate } from './format.js';
import { noCycleText } from './status.js';
import { DECISION_OPEN } from './vote.js';

export const HOME_OPEN_FORECAST = 'home_open_forecast';
export const HOME_OPEN_CAPACITY = 'home_open_capacity';
export const HOME_NO_CHANGE = 'forecast_no_change';

/**
 * Your role and the families you cover: whole codes, as many as the section holds, then
 * "…and N more families" (a rep covering a business unit's 300 families would otherwise
 * be cut mid-code). The /forecast target list shows all of them, yours first. A sales rep
 * covering none is told who assigns them; the other roles cover none by design, so their
 * Home does not list an empty line. Only a sales rep covers families: a rep given another
 * role keeps their list for a return to Sales (`/sop role`), asked of nobody, and their Home
 * says so rather than calling them theirs.
 */
export function memberSection(m: Member): types.KnownBlock {
  const role = m.role
    ? `*${ROLE_LABEL[m.role]}*`
    : '_no role yet_ (an admin sets it with `/sop role`)';
  const covers = can(m, 'forecast.no-change');
  if (m.families.length === 0 && !covers)
    return { type: 'section', text: mrkdwn(`Your role: ${role}`) };
  const head = covers
    ? `Your role: ${role}\nYour families: `
    : `Your role: ${role}\nFamilies you covered as a sales rep (not asked of you now; yours again if an admin makes you Sales): `;
  const fams = m.families.length
    ? fitLines(
        m.families.map((f) => `\`${esc(f)}\``),
        { chars: SECTION_TEXT_CHARS - head.length, separator: ', ' },
        (n) => andMore(n, 'families', covers ? '`/forecast` lists yours first' : undefined),
      ).lines.join(', ')
    : `_none yet_ (${roleNames('families.assign')} assign them with \`/sop families\`)`;
  return { type: 'section', text: mrkdwn(`${head}${fams}`) };
}

/**
 * The cycle and its deadlines, each as the other texts write it (`slackDate`: the reader's own
 * time, the company's `timezone` named in the fallback), with the holidays a deadline's count
 * stepped over, as `/sop cycle` names them (`skippedHolidaysNote`).
 */
export function cycleSection(c: CycleRow, timezone: string): types.KnownBlock[] {
  const deadlines = PHASE_ORDER.filter((p): p is Exclude<Phase, 'closed'> => p !== 'closed')
    .map((p) => {
      const d = c.deadlines[p];
      const mark = p === c.phase ? ' ← now' : '';
      const note = skippedHolidaysNote(c.skipped_holidays[p]);
      return d ? `• ${PHASE_LABEL[p]}: ${slackDate(new Date(d), timezone)}${note}${mark}` : null;
    })
    .filter((s): s is string => s !== null);
  return [
    { type: 'header', text: plain(`S&OP cycle ${c.month}`) },
    {
      type: 'section',
      text: mrkdwn(
        clip(
          `Phase: *${PHASE_LABEL[c.phase]}*${deadlines.length ? `\nDeadlines:\n${deadlines.join('\n')}` : ''}`,
          3000,
        ),
      ),
    },
  ];
}

/** The families a rep still owes input for, whole codes within `chars`, then how many more. */
function owedCodes(owed: readonly string[], chars: number): string {
  return fitLines(
    owed.map((f) => `\`${esc(f)}\``),
    { chars, separator: ', ' },
    (n) => andMore(n, 'families', `${STATUS_OWING} lists them all`),
  ).lines.join(', ');
}

/**
 * What the cycle asks of the member now: a sales rep's forecast input while the demand review
 * takes it (the families still owed, or that all is in), an executive's vote while it is open
 * (cast, or in and changeable), and the decision a closed vote is owed, with the button that
 * opens its form, for who may record it. Nothing when it asks nothing.
 */
export function todoSection(
  c: CycleRow,
  owed: readonly string[] | null,
  vote: HomeVote | null,
  timezone: string,
): types.KnownBlock[] {
  const lines: string[] = [];
  if (owed !== null) {
    const end = c.deadlines.demand_review;
    const by = end ? ` (its deadline: ${slackDate(new Date(end), timezone)})` : '';
    const head = '• Adjust the forecast or declare no change for ';
    const tail = ` before the demand review ends${by}.`;
    lines.push(
      owed.length > 0
        ? `${head}${owedCodes(owed, SECTION_TEXT_CHARS - 400)}${tail}`
        : '• Your forecast input is in for each of your families this cycle.',
    );
  }
  const where = vote?.channelId ? ` in <#${vote.channelId}>` : '';
  if (vote?.status === 'open')
    lines.push(
      vote.voted
        ? `• Your vote is counted in the scenario vote${where}; you can change it until the vote closes.`
        : `• The scenario vote is open${where}: cast your vote.`,
    );
  if (vote?.status === 'closed')
    lines.push(`• The scenario vote${where} has closed; its decision is still to be recorded.`);
  if (lines.length === 0) return [];
  return [
    { type: 'section', text: mrkdwn(`*To do*\n${lines.join('\n')}`) },
    ...(vote?.status === 'closed'
      ? [
          {
            type: 'actions' as const,
            block_id: 'home_decision',
            elements: [
              {
                type: 'button' as const,
                action_id: DECISION_OPEN,
                style: 'primary' as const,
                text: plain('Record the decision'),
                value: vote.pollId,
              },
            ],
          },
        ]
      : []),
  ];
}

/** What the submissions section says of none while the member may adjust the forecast. */
export const NO_SUBMISSIONS_YET = 'None yet. Use `/forecast` or the buttons above.';

/**
 * What it says of none when the rep owes nothing (`owedFamilies` empty): with no adjustment,
 * every family of theirs was declared "no change", which "None yet" beside "your forecast input
 * is in" denied.
 */
export const NO_CHANGE_DECLARED = 'No adjustment: you declared no change for your families.';

/**
 * The member's latest submissions; `total` counts those not passed in too; `none` is said when
 * there are none.
 */
export function submissionsSection(
  rows: readonly SubmissionRow[],
  total = rows.length,
  none = NO_SUBMISSIONS_YET,
): types.KnownBlock[] {
  const lines = rows.map((r) => {
    const ba =
      r.before !== null && r.after !== null ? ` ${fmtQty(r.before)} → ${fmtQty(r.after)}` : '';
    return `• *${escInMarks(r.family)}* ${r.period} ${fmtChange(r.kind, r.value)} (${esc(r.reasonCode.replace(/_/g, ' '))})${ba} · ${r.status}`;
  });
  const text = lines.length
    ? fitText(
        '',
        lines,
        { chars: SECTION_TEXT_CHARS },
        (n) =>
          andMore(
            n,
            n === 1 ? 'submission' : 'submissions',
            "each is in the thread of the cycle's summary in the demand channel",
          ),
        Math.max(0, total - rows.length),
      ).text
    : none;
  return [
    { type: 'header', text: plain('Your submissions this cycle') },
    { type: 'section', text: mrkdwn(text) },
  ];
}

/** Open follow-up actions with their Done/Snooze buttons (the meeting work owns the rows). */
export function homeActionsSection(
  actions: readonly ActionRow[],
  today?: string,
  at?: { readonly now: Date; readonly zone: string },
): types.KnownBlock[] {
  return [
    { type: 'header', text: plain('Your open actions') },
    ...homeActionItems(actions, today, at),
  ];
}

/**
 * The buttons that work for `m` in `phase`: the forecast form while adjustments are taken (data
 * gathering and the demand review; after that the form would only refuse), "No change for my
 * families" only to a sales rep covering families (another role's kept list is asked of
 * nobody), the capacity form until the cycle closes. A note says
 * why a role that may adjust the forecast has no forecast button, or that a role is missing.
 */
export function homeButtons(m: Member, phase: Phase): types.KnownBlock[] {
  const elements: types.Button[] = [];
  const forecastOpen = adjustmentsOpen(phase);
  if (can(m, 'forecast.adjust') && forecastOpen) {
    elements.push({
      type: 'button',
      action_id: HOME_OPEN_FORECAST,
      text: plain('Adjust forecast'),
      style: 'primary',
    });
    if (can(m, 'forecast.no-change') && m.families.length > 0)
      elements.push({
        type: 'button',
        action_id: HOME_NO_CHANGE,
        text: plain('No change for my families'),
      });
  }
  if (can(m, 'capacity.update'))
    elements.push({
      type: 'button',
      action_id: HOME_OPEN_CAPACITY,
      text: plain('Update capacity'),
    });
  const note = (text: string): types.KnownBlock => ({
    type: 'context',
    elements: [mrkdwn(text)],
  });
  return [
    ...(elements.length ? [{ type: 'actions' as const, block_id: 'home_buttons', elements }] : []),
    ...(m.role === null ? [note('Ask an admin for a role to take part in the cycle.')] : []),
    ...(can(m, 'forecast.adjust') && !forecastOpen
      ? [
          note(
            `Forecast adjustments closed with the demand review; the cycle is now in ${PHASE_LABEL[phase]}.`,
          ),
        ]
      : []),
  ];
}

/** Where operations resolve or withdraw the constraints their cuts made. */
const constraintsPointer: types.KnownBlock = {
  type: 'context',
  elements: [
    mrkdwn(
      'A capacity cut holds in every plan for its months until it is resolved or withdrawn: `/sop constraints` lists the open ones.',
    ),
  ],
};

export function homeView(d: {
  member: Member;
  cycle: CycleRow | null;
  submissions: readonly SubmissionRow[];
  /** All the member's submissions this cycle, listed or not (default: those listed). */
  submissionCount?: number;
  actions: readonly ActionRow[];
  /** The company's time zone (settings.timezone). */
  timezone: string;
  /** The company's today (YYYY-MM-DD): open actions due before it are marked overdue. */
  today?: string;
  /** The clock's now: an action snoozed past it shows until when. */
  now?: Date;
  /** The families the member still owes input for (null: not asked of them now). */
  owedFamilies?: readonly string[] | null;
  /** The scenario vote, when it asks something of the member. */
  vote?: HomeVote | null;
}): types.HomeView {
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: plain('sopbot: monthly S&OP') },
    memberSection(d.member),
  ];
  if (!d.cycle) blocks.push({ type: 'section', text: mrkdwn(noCycleText(d.member)) });
  else {
    const count = d.submissionCount ?? d.submissions.length;
    // Who may not adjust the forecast (now, or ever) is not pointed at /forecast.
    const mayAdjust = can(d.member, 'forecast.adjust');
    blocks.push(
      ...cycleSection(d.cycle, d.timezone),
      ...todoSection(d.cycle, d.owedFamilies ?? null, d.vote ?? null, d.timezone),
      ...homeButtons(d.member, d.cycle.phase),
      ...(can(d.member, 'capacity.update') ? [constraintsPointer] : []),
      ...(mayAdjust || count > 0
        ? [
            { type: 'divider' as const },
            ...submissionsSection(
              d.submissions,
              count,
              d.owedFamilies?.length === 0
                ? NO_CHANGE_DECLARED
                : mayAdjust && adjustmentsOpen(d.cycle.phase)
                  ? NO_SUBMISSIONS_YET
                  : 'None this cycle.',
            ),
          ]
        : []),
    );
  }
  blocks.push(
    { type: 'divider' },
    ...homeActionsSection(d.actions, d.today, d.now ? { now: d.now, zone: d.timezone } : undefined),
  );
  return { type: 'home', blocks: blocks.slice(0, 100) };
}

/**
 * The Home tab when it cannot be drawn (its data could not be read): the heading and `text`,
 * already mrkdwn (`warningText`). The next opening draws it in full.
 */
export function homeNoticeView(text: string): types.HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: plain('sopbot: monthly S&OP') },
      { type: 'section', text: mrkdwn(clip(text, SECTION_TEXT_CHARS)) },
    ],
  };
}
