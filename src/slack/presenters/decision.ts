/**
 * The decision modal (scenario, rationale, follow-up action rows with owner, due date and
 * description; "Add another action" grows it with views.update) and its pure parser, plus
 * the decision-log message posted in the executive channel's thread.
 */
import type { types } from '@slack/bolt';
import type { ActionRow } from '../../../db/schema.js';
import { isOverdue } from '../../core/action-timing.js';
import {
  BREAK_DISPOSITIONS,
  BREAK_OUTCOMES,
  type BreakDisposition,
  breakOutcome,
  DISPOSITION_CHOICE,
  deferredBy,
  isBreakDisposition,
  MAX_DISPOSITION_NOTE_CHARS,
  OUTCOME_DONE,
  OUTCOME_NEXT,
} from '../../core/break-disposition.js';
import { isDay, localDate, localDateTime } from '../../core/calendar.js';
import { type DecisionVote, decidedHow } from '../../core/vote.js';
import { readRowId } from '../../row-id.js';
import type {
  DecidedBreak,
  DecisionLogEntry,
  NewAction,
  NewDisposition,
} from '../../services/decisions.js';
import {
  andMore,
  clipMrkdwn,
  fitLines,
  fitText,
  jsonChars,
  MESSAGE_BLOCKS_CHARS,
  MESSAGE_TEXT_CHARS,
  SECTION_TEXT_CHARS,
  sectionTexts,
} from './fit.js';
import { clip, esc, escInMarks, mrkdwn, plain } from './format.js';

export const DECISION_CALLBACK = 'decision_submit';
export const DECISION_ADD_ACTION = 'decision_add_action';
export const INITIAL_ACTION_ROWS = 3;
/**
 * The most action rows a form grows to (3 blocks each: 60 of Slack's 100), when the breaks of
 * the frozen plan leave room for them; a decision sets 10 to 20 actions at a company of 120
 * families. Past them, the form says how to add more after recording.
 */
export const MAX_ACTION_ROWS = 20;
/**
 * The action rows the breaks always leave room for: they take what the form leaves at these
 * many rows, so adding a row never drops one. A form drawn before the form kept its own most
 * rows (`DecisionModalMeta.most`) held this many.
 */
export const BREAKS_LEAVE_ROWS = 10;

export interface DecisionModalMeta {
  readonly cycleId: number;
  readonly pollId: string | null;
  readonly rows: number;
  /**
   * The most action rows this form holds: what its breaks leave of Slack's 100 blocks, at most
   * MAX_ACTION_ROWS. Worked out when the form is first drawn and kept in its metadata, since a
   * redraw ("Add another action") keeps the breaks' blocks without drawing them again.
   */
  readonly most?: number;
  /** The cycle's current decision, which this one would supersede (asks why). */
  readonly supersedes?: string | null;
}

export interface ScenarioChoice {
  readonly scenarioId: string;
  readonly label: string;
  /** What adopting it accepts (src/core/scenarios/trade-off.ts), when the run has one. */
  readonly tradeOff?: string | null;
}

/** The block id of the trade-offs' first section; the next ones add `_2`, `_3`, … */
export const TRADE_OFFS_BLOCK = 'trade_offs';

/**
 * Whether `blockId` is one of the blocks under the select: the trade-offs' sections, the S&OE
 * escalations' (`trade_offs_escalations…`) and each break's disposition and note
 * (`trade_offs_break_<id>…`): a rebuilt form keeps them.
 */
export const isTradeOffsBlock = (blockId: string | undefined): boolean =>
  blockId === TRADE_OFFS_BLOCK || (blockId?.startsWith(`${TRADE_OFFS_BLOCK}_`) ?? false);

/**
 * The trade-off each choice accepts, shown under the select so the chair sees what they adopt:
 * every one whole, in as many sections as they take (six scenarios with long labels are more
 * than one section's 3,000 characters; the form holds 100 blocks).
 */
function tradeOffBlocks(choices: readonly ScenarioChoice[]): types.KnownBlock[] {
  const lines = choices.filter((c) => c.tradeOff).map((c) => `• ${esc(c.tradeOff ?? '')}`);
  if (lines.length === 0) return [];
  return sectionTexts('*The trade-off you accept*', lines).map((text, i) => ({
    type: 'section',
    block_id: i === 0 ? TRADE_OFFS_BLOCK : `${TRADE_OFFS_BLOCK}_${i + 1}`,
    text: mrkdwn(text),
  }));
}

/** A break of the frozen plan that weekly S&OE escalated to this meeting, with its action. */
export interface EscalationChoice {
  /** The break (its deviation's id): the disposition's block names it. */
  readonly id: string;
  readonly summary: string;
  readonly owner: string | null;
  readonly due: string | null;
  /** Deferred to this meeting by an earlier one. */
  readonly carried?: boolean;
  /** The cycles of the meetings that deferred it, oldest first, and the last note written. */
  readonly deferredIn?: readonly string[];
  /** Those of `deferredIn` whose decision chose nothing for it. */
  readonly undecidedIn?: readonly string[];
  readonly deferNote?: string | null;
  /** The disposition the form starts at (the decision it supersedes); null: defer. */
  readonly disposition?: BreakDisposition | null;
  readonly note?: string | null;
}

/** The block of break `id`'s disposition; its note's is this with `_note`. */
const BREAK_BLOCK = `${TRADE_OFFS_BLOCK}_break_`;
const breakBlockId = (id: string): string => `${BREAK_BLOCK}${id}`;

/** The longest label of a break's select: its number and what broke, clipped. */
const BREAK_LABEL_CHARS = 150;

/** Slack's limit on a modal's blocks. */
export const MODAL_BLOCKS = 100;

/**
 * The breaks of the frozen plan escalated to this meeting (the pack's "DECIDE" lines under
 * question 6), listed with their owners and due dates, then, for each, what the meeting decides:
 * grant an exception, hold the plan, or defer (the default, or what the decision this one
 * supersedes chose), with a note. `room`: the blocks the dispositions may take, two per break;
 * breaks beyond it stay deferred, and the form says so.
 */
function escalationBlocks(
  escalations: readonly EscalationChoice[],
  room: number,
): types.KnownBlock[] {
  if (escalations.length === 0) return [];
  const n = escalations.length;
  const lines = escalations.map(
    (e, i) =>
      `${i + 1}. ${escInMarks(e.summary)}${e.owner ? ` (owner <@${e.owner}>${e.due ? `, due ${e.due}` : ''})` : ''}${e.carried ? ` _${deferredBy(e.deferredIn ?? [], e.deferNote ?? null, escInMarks, e.undecidedIn)}_` : ''}`,
  );
  const title = `*Also to decide: ${n === 1 ? 'a break' : `${n} breaks`} of the frozen plan escalated from S&OE.* For each, grant an exception (the frozen plan may change for it), hold the plan (the deviation is absorbed) or defer it to the next meeting. Each stays its owner's action; its owner is told what you decide.`;
  // Two sections' worth of lines at most, so long summaries cannot crowd out the choices.
  const listed = fitLines(lines, { chars: 2 * (SECTION_TEXT_CHARS - title.length) }, (k) =>
    andMore(k, k === 1 ? 'break' : 'breaks', '`/sop pack md` lists them all'),
  ).lines;
  const listing: types.KnownBlock[] = sectionTexts(title, listed).map((text, i) => ({
    type: 'section',
    block_id: `${TRADE_OFFS_BLOCK}_escalations${i === 0 ? '' : `_${i + 1}`}`,
    text: mrkdwn(text),
  }));
  const options = BREAK_DISPOSITIONS.map((d) => ({
    text: plain(DISPOSITION_CHOICE[d]),
    value: d,
  }));
  const shown = Math.max(0, Math.min(n, Math.floor((room - listing.length - 1) / 2)));
  const choices = escalations.slice(0, shown).flatMap((e, i): types.KnownBlock[] => {
    const initial = options.find((o) => o.value === (e.disposition ?? 'defer'));
    return [
      {
        type: 'input',
        block_id: breakBlockId(e.id),
        label: plain(clip(`Break ${i + 1}: ${e.summary}`, BREAK_LABEL_CHARS)),
        element: {
          type: 'static_select',
          action_id: 'pick',
          options,
          ...(initial ? { initial_option: initial } : {}),
        },
      },
      {
        type: 'input',
        block_id: `${breakBlockId(e.id)}_note`,
        optional: true,
        label: plain(`Break ${i + 1}: note`),
        element: {
          type: 'plain_text_input',
          action_id: 'text',
          max_length: MAX_DISPOSITION_NOTE_CHARS,
          ...(e.note ? { initial_value: clip(e.note, MAX_DISPOSITION_NOTE_CHARS) } : {}),
        },
      },
    ];
  });
  const hidden = n - shown;
  const more: types.KnownBlock[] = hidden
    ? [
        {
          type: 'context',
          block_id: `${TRADE_OFFS_BLOCK}_breaks_more`,
          elements: [
            mrkdwn(
              `_Breaks ${shown + 1}–${n} do not fit in this form (Slack holds 100 blocks): this decision ${escalations.slice(shown).some((e) => e.disposition && e.disposition !== 'defer') ? 'keeps what the decision it supersedes chose for them; it decides nothing about the others, which come back to the next meeting' : 'decides nothing about them: they come back to the next meeting'}. Each stays its owner's action; \`/sop pack md\` lists them all._`,
            ),
          ],
        },
      ]
    : [];
  return [...listing, ...choices, ...more];
}

/**
 * Said under the last action row when the form holds no more: how to add the rest. A decision's
 * actions are set in its form; the message shortcut makes any further one, filed under the
 * open cycle (the pack's question 10 lists it with the decision's).
 */
export function moreActionsText(most: number): string {
  return `_This form holds ${most} action${most === 1 ? '' : 's'}. For more, record the decision, then use the message shortcut *Make an S&OP action* (the ⋯ menu) on its decision log in the executive channel, once for each action: it asks for the owner, the due date and what is to be done._`;
}

export function decisionModal(
  meta: DecisionModalMeta,
  choices: readonly ScenarioChoice[],
  defaultScenarioId: string | null,
  title = 'Record the decision',
  escalations: readonly EscalationChoice[] = [],
): types.View {
  const options = choices
    .slice(0, 100)
    .map((c) => ({ text: plain(clip(c.label, 75)), value: c.scenarioId }));
  const initial = options.find((o) => o.value === defaultScenarioId);
  const trade = tradeOffBlocks(choices);
  // The breaks get what the form leaves at BREAKS_LEAVE_ROWS action rows and the block under
  // them ("Add another action", or the line saying how to add more), so adding rows never drops
  // one; the action rows then grow into what the breaks leave, up to MAX_ACTION_ROWS.
  const others = 1 + trade.length + 1 + (meta.supersedes ? 1 : 0) + 2;
  const breaks = escalationBlocks(escalations, MODAL_BLOCKS - others - 3 * BREAKS_LEAVE_ROWS - 1);
  const most = Math.min(
    meta.most ?? MAX_ACTION_ROWS,
    Math.floor((MODAL_BLOCKS - others - breaks.length - 1) / 3),
  );
  const blocks: types.KnownBlock[] = [
    {
      type: 'input',
      block_id: 'scenario',
      label: plain('Adopted scenario'),
      element: {
        type: 'static_select',
        action_id: 'pick',
        options,
        ...(initial ? { initial_option: initial } : {}),
      },
    },
    ...trade,
    ...breaks,
    {
      type: 'input',
      block_id: 'rationale',
      label: plain('Rationale'),
      element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: 2000 },
    },
    ...(meta.supersedes
      ? [
          {
            type: 'input' as const,
            block_id: 'supersede',
            label: plain(clip(`Why this replaces decision ${meta.supersedes}`, 2000)),
            element: {
              type: 'plain_text_input' as const,
              action_id: 'text',
              multiline: true,
              max_length: 1000,
            },
          },
        ]
      : []),
    { type: 'header', text: plain('Follow-up actions') },
    {
      type: 'context',
      elements: [
        mrkdwn(
          'Fill owner, due date and description for each action; leave a row empty to skip it.',
        ),
      ],
    },
  ];
  const rows = Math.min(most, Math.max(0, meta.rows));
  for (let i = 1; i <= rows; i++) {
    blocks.push(
      {
        type: 'input',
        block_id: `a${i}_owner`,
        optional: true,
        label: plain(`Action ${i}: owner`),
        element: { type: 'users_select', action_id: 'owner' },
      },
      {
        type: 'input',
        block_id: `a${i}_due`,
        optional: true,
        label: plain(`Action ${i}: due date`),
        element: { type: 'datepicker', action_id: 'due' },
      },
      {
        type: 'input',
        block_id: `a${i}_desc`,
        optional: true,
        label: plain(`Action ${i}: what`),
        element: { type: 'plain_text_input', action_id: 'desc', max_length: 500 },
      },
    );
  }
  blocks.push(
    rows < most
      ? {
          type: 'actions',
          block_id: 'more',
          elements: [
            { type: 'button', action_id: DECISION_ADD_ACTION, text: plain('Add another action') },
          ],
        }
      : { type: 'context', block_id: 'more', elements: [mrkdwn(moreActionsText(most))] },
  );
  return {
    type: 'modal',
    callback_id: DECISION_CALLBACK,
    private_metadata: JSON.stringify({ ...meta, rows, most }),
    blocks: withinModalBlocks(blocks),
    title: plain(clip(title, 24)),
    submit: plain('Record'),
    close: plain('Cancel'),
  };
}

/**
 * At most Slack's 100 blocks, which it refuses a view past: over them, the block under the
 * action rows ("Add another action", or the line saying how to add more) is left out. A form
 * drawn before it kept its most rows gave its breaks that block (100 − others − 30 blocks), so
 * its 10th row, where the line now comes, would make 101.
 */
function withinModalBlocks<B>(blocks: readonly B[]): B[] {
  if (blocks.length <= MODAL_BLOCKS) return [...blocks];
  return blocks.filter((b) => (b as { block_id?: string }).block_id !== 'more');
}

/**
 * The rebuilt modal ("Add another action") keeps the blocks the first one showed after the
 * select: the trade-offs, the escalated breaks and each break's disposition (Slack keeps what
 * was chosen in them); within Slack's 100 blocks (`withinModalBlocks`).
 */
export function keepTradeOffs(view: types.View, before: readonly unknown[]): types.View {
  const sections = before.filter((b) => isTradeOffsBlock((b as { block_id?: string }).block_id));
  if (sections.length === 0) return view;
  const blocks = [...view.blocks];
  blocks.splice(1, 0, ...(sections as typeof blocks));
  return { ...view, blocks: withinModalBlocks(blocks) };
}

/** The subset of view.state.values the parser reads. */
export type StateValues = Record<
  string,
  Record<
    string,
    {
      selected_option?: { value?: string } | null;
      value?: string | null;
      selected_user?: string | null;
      selected_date?: string | null;
    }
  >
>;

export interface ParsedDecision {
  readonly scenarioId: string | null;
  readonly rationale: string;
  readonly actions: readonly NewAction[];
  /**
   * The owner picked on each action row, by its field (`a2_owner`): for the caller to ask Slack
   * whether they can own an action (`ownerRefusals`), which this pure reading cannot.
   */
  readonly owners: readonly { readonly field: string; readonly owner: string }[];
  /** Why it replaces the cycle's earlier decision (null when the form did not ask). */
  readonly supersedeReason: string | null;
  /** What the form chose for each break of the frozen plan it asked about. */
  readonly dispositions: readonly NewDisposition[];
  /** block_id → message, for `response_action: 'errors'`. */
  readonly errors: Readonly<Record<string, string>>;
}

/**
 * The decision form's fields, each checked. `today` is the company's date (in its time zone
 * `zone`): a due date before it is refused, and the refusal says which day today is and where,
 * for a reader whose own today is still the day before.
 */
export function parseDecisionState(
  values: StateValues,
  rows: number,
  today: string,
  zone: string,
): ParsedDecision {
  const errors: Record<string, string> = {};
  const scenarioId = values.scenario?.pick?.selected_option?.value ?? null;
  if (!scenarioId) errors.scenario = 'Choose the adopted scenario.';
  else if (readRowId(scenarioId) === null)
    errors.scenario = `'${scenarioId.slice(0, 24)}' is not a scenario of this form; choose one from the list.`;
  const rationale = (values.rationale?.text?.value ?? '').trim();
  if (!rationale) errors.rationale = 'Say why this scenario is adopted.';
  const supersedeReason = values.supersede ? (values.supersede.text?.value ?? '').trim() : null;
  if (supersedeReason === '') errors.supersede = 'Say why the earlier decision no longer holds.';
  const actions: NewAction[] = [];
  const owners: { field: string; owner: string }[] = [];
  for (let i = 1; i <= rows; i++) {
    const owner = values[`a${i}_owner`]?.owner?.selected_user ?? '';
    const due = values[`a${i}_due`]?.due?.selected_date ?? '';
    const desc = (values[`a${i}_desc`]?.desc?.value ?? '').trim();
    if (!owner && !due && !desc) continue;
    if (!owner) errors[`a${i}_owner`] = `Action ${i} needs an owner.`;
    else owners.push({ field: `a${i}_owner`, owner });
    if (!due) errors[`a${i}_due`] = `Action ${i} needs a due date.`;
    else if (!isDay(due)) errors[`a${i}_due`] = `Action ${i}: '${due}' is not a date.`;
    else if (due < today)
      errors[`a${i}_due`] =
        `Action ${i}: the due date ${due} is in the past: today is ${today} in ${zone}, the company's time zone.`;
    if (!desc) errors[`a${i}_desc`] = `Action ${i} needs a description.`;
    if (owner && due && desc) actions.push({ owner, dueDate: due, description: desc });
  }
  const dispositions: NewDisposition[] = [];
  for (const [blockId, block] of Object.entries(values)) {
    if (!blockId.startsWith(BREAK_BLOCK) || blockId.endsWith('_note')) continue;
    const deviationId = blockId.slice(BREAK_BLOCK.length);
    const picked = block.pick?.selected_option?.value;
    if (readRowId(deviationId) === null) continue;
    if (!isBreakDisposition(picked)) {
      errors[blockId] = 'Choose what the meeting decides about this break.';
      continue;
    }
    const note = (values[`${blockId}_note`]?.text?.value ?? '').trim();
    dispositions.push({ deviationId, disposition: picked, note: note || null });
  }
  return { scenarioId, rationale, actions, owners, supersedeReason, dispositions, errors };
}

/**
 * One action of a decision: done, cancelled or open, and, given the company's `today`, an open
 * one past its due date marked overdue as `/sop actions` marks it.
 */
export function actionLine(
  a: Pick<ActionRow, 'id' | 'owner' | 'due_date' | 'description' | 'status'>,
  today?: string,
): string {
  const mark =
    a.status === 'done'
      ? ':white_check_mark:'
      : a.status === 'cancelled'
        ? ':heavy_multiplication_x:'
        : ':black_small_square:';
  const overdue = today !== undefined && isOverdue(a, today);
  return `${mark} ${overdue ? ':warning: *overdue* ' : ''}#${a.id} <@${a.owner}> due ${a.due_date}: ${esc(a.description)}`;
}

/** Where the decision log's actions can all be read when the message cannot hold them. */
const FULL_LOG = '`/sop decisions md` has the full log';

/**
 * The follow-up actions of a decision: every one that fits in `chars` (as JSON), whole, in as
 * many sections as they need, then "…and N more"; none said once, without a heading.
 */
function actionSections(actions: DecisionLogEntry['actions'], chars: number): types.KnownBlock[] {
  if (actions.length === 0) return [{ type: 'section', text: mrkdwn('*No follow-up actions.*') }];
  const title = `*Follow-up actions* (${actions.length})`;
  // What a section adds besides its lines: its title and its block's JSON.
  const perSection = JSON.stringify({
    type: 'section',
    text: mrkdwn(`${title} (continued)\n`),
  }).length;
  const lines = actions.map((a) => actionLine(a));
  for (let sections = 1; ; sections++) {
    const fitted = fitLines(lines, { chars: chars - perSection * sections, size: jsonChars }, (n) =>
      andMore(n, n === 1 ? 'action' : 'actions', FULL_LOG),
    );
    const texts = sectionTexts(title, fitted.lines);
    if (texts.length <= sections) return texts.map((t) => ({ type: 'section', text: mrkdwn(t) }));
  }
}

/**
 * One break as a decision disposed of it: "*Exception granted*: LINE-1 stopped in the week of
 * 2027-03-01 (owner @otto, action #12). Note: …". What broke names imported codes, escaped with
 * their marks kept from the bot's (a code `A._B_` is no italics); the note is typed, escaped.
 */
export function dispositionLine(d: DecidedBreak): string {
  const done = OUTCOME_DONE[breakOutcome(d)];
  const who = d.owner
    ? ` (owner <@${d.owner}>${d.actionId ? `, action #${d.actionId}` : ''})`
    : d.actionId
      ? ` (action #${d.actionId})`
      : '';
  return `• *${done.charAt(0).toUpperCase()}${done.slice(1)}*: ${escInMarks(d.summary)}${who}${d.note ? `. Note: ${esc(d.note.replace(/\s*\n\s*/g, ' '))}` : ''}`;
}

/** What the dispositions a decision made let people do next, one sentence per kind present. */
export function dispositionsNext(ds: readonly DecidedBreak[]): string[] {
  return BREAK_OUTCOMES.filter((k) => ds.some((d) => breakOutcome(d) === k)).map(
    (k) =>
      `${OUTCOME_DONE[k].charAt(0).toUpperCase()}${OUTCOME_DONE[k].slice(1)}: ${OUTCOME_NEXT[k]}.`,
  );
}

/**
 * The breaks of the frozen plan a decision disposed of: every one that fits in `chars` (as
 * JSON), whole, in as many sections as they need, then "…and N more", and what each kind lets
 * people do next. Nothing when its meeting had none.
 */
function dispositionSections(ds: readonly DecidedBreak[], chars: number): types.KnownBlock[] {
  if (ds.length === 0) return [];
  const title = `*Breaks of the frozen plan escalated from S&OE* (${ds.length})`;
  const next: types.KnownBlock = {
    type: 'context',
    elements: [mrkdwn(clipMrkdwn(dispositionsNext(ds).join(' '), 3000))],
  };
  const perSection = JSON.stringify({
    type: 'section',
    text: mrkdwn(`${title} (continued)\n`),
  }).length;
  const budget = chars - JSON.stringify(next).length;
  const lines = ds.map(dispositionLine);
  for (let sections = 1; ; sections++) {
    const fitted = fitLines(
      lines,
      { chars: budget - perSection * sections, size: jsonChars },
      (n) => andMore(n, n === 1 ? 'break' : 'breaks', FULL_LOG),
    );
    const texts = sectionTexts(title, fitted.lines);
    if (texts.length <= sections)
      return [...texts.map((t): types.KnownBlock => ({ type: 'section', text: mrkdwn(t) })), next];
  }
}

/** How a decision was adopted: the vote it followed, if any, and the company's time zone. */
export interface Adoption {
  /** The vote the decision followed, as it stood then. Null: recorded without a vote. */
  readonly vote: DecisionVote | null;
  /** The company's time zone (settings): the time is written in it, with its name. */
  readonly timezone: string;
}

/**
 * The log's closing line: who adopted it and how. "Adopted by the executives' vote (3–0);
 * recorded by Pat on 2027-01-13 05:30 Asia/Tokyo" when the vote chose the scenario; otherwise
 * who recorded it, and what the vote said if there was one. Who recorded it is named
 * (`nameOf`, their Slack name; the id when none is known), not mentioned: the log is a new
 * post, and records what they did.
 */
export function adoptionFooter(
  e: DecisionLogEntry,
  a: Adoption,
  nameOf: (userId: string) => string = (id) => id,
): string {
  const how = decidedHow(
    a.vote,
    `${escInMarks(nameOf(e.decidedBy))} on ${localDateTime(e.decidedAt, a.timezone)} ${a.timezone}`,
  );
  return how.charAt(0).toUpperCase() + how.slice(1);
}

export function decisionLogMessage(
  e: DecisionLogEntry,
  adoption: Adoption,
  nameOf: (userId: string) => string = (id) => id,
): {
  text: string;
  blocks: types.KnownBlock[];
} {
  const footer = adoptionFooter(e, adoption, nameOf);
  const text = `Decision ${e.id} (${e.cycle}): ${esc(e.scenario)} adopted. ${footer}. ${esc(e.rationale)}`;
  const head: types.KnownBlock[] = [
    {
      type: 'section',
      text: mrkdwn(
        clip(`:scroll: *Decision ${e.id}, ${e.cycle}: ${escInMarks(e.scenario)} adopted*`, 3000),
      ),
    },
    { type: 'section', text: mrkdwn(clipMrkdwn(`*Rationale:* ${esc(e.rationale)}`, 3000)) },
    ...(e.tradeOff
      ? [
          {
            type: 'section' as const,
            text: mrkdwn(clipMrkdwn(`*Trade-off accepted:* ${esc(e.tradeOff)}`, 3000)),
          },
        ]
      : []),
    ...(e.supersedes
      ? [
          {
            type: 'section' as const,
            text: mrkdwn(
              clipMrkdwn(
                `*Supersedes decision ${e.supersedes.id}:* ${esc(e.supersedes.reason)}`,
                3000,
              ),
            ),
          },
        ]
      : []),
  ];
  const tail: types.KnownBlock[] = [
    {
      type: 'context',
      // The scenario by the name people gave it: its row id ("scenario 7") meant nothing to
      // them, and counted up across runs of three scenarios each.
      elements: [mrkdwn(`${footer} · plan run ${e.runId}, ${esc(e.scenario)} scenario`)],
    },
  ];
  const room = MESSAGE_BLOCKS_CHARS - JSON.stringify([...head, ...tail]).length;
  // The breaks take at most half the room, and leave the actions the rest.
  const breaks = dispositionSections(e.dispositions ?? [], Math.floor(room / 2));
  const left = room - JSON.stringify(breaks).length;
  return {
    text: clipMrkdwn(text, 3000),
    blocks: [...head, ...breaks, ...actionSections(e.actions, left), ...tail],
  };
}

/**
 * `/sop decisions`: a text message (no blocks), so Slack's limit on `text` applies, not a
 * section's 3000: every decision that fits, whole with its actions, then "…and N more".
 * Who is named recorded the decision ("adopted, recorded by @pat", as the vote message says):
 * a planner who records a vote's decision adopts nothing.
 * Each decision's date is the company's (`zone`, the settings time zone), like its actions'
 * due dates.
 */
/**
 * `/sop decisions`: each decision with its actions, those open past `today` (the company's
 * date; `/sop decisions` always gives it) marked overdue.
 */
export function decisionsListText(
  entries: readonly DecisionLogEntry[],
  zone: string,
  today?: string,
): string {
  if (entries.length === 0) return 'No decisions recorded.';
  const items = entries.map(
    (e) =>
      `*${e.cycle}* · decision ${e.id}: *${escInMarks(e.scenario)}* adopted, recorded by <@${e.decidedBy}> on ${localDate(e.decidedAt, zone)}\n> ${esc(e.rationale.replace(/\n/g, ' '))}${e.supersedes ? `\n_Supersedes decision ${e.supersedes.id}: ${escInMarks(e.supersedes.reason.replace(/\n/g, ' '))}_` : ''}${e.actions.length ? `\n${e.actions.map((a) => actionLine(a, today)).join('\n')}` : ''}${e.dispositions?.length ? `\n_Breaks of the frozen plan:_\n${e.dispositions.map(dispositionLine).join('\n')}` : ''}`,
  );
  return fitText('', items, { chars: MESSAGE_TEXT_CHARS, separator: '\n\n' }, (n) =>
    andMore(
      n,
      n === 1 ? 'decision' : 'decisions',
      '`/sop decisions YYYY-MM` lists one month; `/sop decisions md` has the full log',
    ),
  ).text;
}

/** How many breaks not decided a typed decision's answer lists by name. */
const UNDECIDED_LISTED = 5;

/**
 * What a decision typed without the form recorded about the meeting's frozen-zone breaks, for
 * its answer: it chose nothing, so each kept what the decision it supersedes chose, or is not
 * decided and comes back to the next meeting. Those are named (what broke; the first five),
 * with how to decide them. Empty when the meeting had none.
 */
export function typedDecisionBreaks(
  ds: readonly { readonly summary: string; readonly chosen: boolean }[],
): string {
  const open = ds.filter((d) => !d.chosen);
  const kept = ds.length - open.length;
  const n = open.length;
  const parts: string[] = [];
  if (n)
    parts.push(
      `It did not decide ${n === 1 ? 'the break' : `the ${n} breaks`} of the frozen plan escalated to this meeting: ${n === 1 ? 'it comes' : 'they come'} back to the next meeting.`,
      ...open.slice(0, UNDECIDED_LISTED).map((d) => `• ${escInMarks(d.summary)}`),
      ...(n > UNDECIDED_LISTED
        ? [
            andMore(
              n - UNDECIDED_LISTED,
              n - UNDECIDED_LISTED === 1 ? 'break' : 'breaks',
              '`/sop pack md` lists them all',
            ),
          ]
        : []),
      `To decide ${n === 1 ? 'it' : 'them'} now (grant an exception, hold the plan or defer), \`/sop decide\` with no text opens the form.`,
    );
  if (kept)
    parts.push(
      `${kept === 1 ? '1 break keeps' : `${kept} breaks keep`} what the decision it supersedes chose.`,
    );
  return parts.length ? `\n${parts.join('\n')}` : '';
}

/**
 * The DM to the owner of breaks a decision disposed of: what the meeting decided about each,
 * which it did not decide (typed `/sop decide`: they come back to the next meeting), what that
 * lets people do next, and that their S&OE action stays theirs and open: the meeting decided
 * what the plan does, not that the deviation is handled.
 */
export function breakOwnerDm(
  e: Pick<DecisionLogEntry, 'id' | 'cycle'>,
  breaks: readonly DecidedBreak[],
): { text: string; blocks: types.KnownBlock[] } {
  const count = (k: number) => (k === 1 ? 'a break' : `${k} breaks`);
  const open = breaks.filter((d) => !d.chosen).length;
  const decided = breaks.length - open;
  const comeBack = (k: number) => `${k === 1 ? 'it comes' : 'they come'} back to the next meeting`;
  const head =
    open === 0
      ? `:scroll: The executive meeting of ${e.cycle} decided on ${count(decided)} of the frozen plan you own (decision ${e.id}):`
      : decided === 0
        ? `:scroll: The executive meeting of ${e.cycle} did not decide ${count(open)} of the frozen plan you own (decision ${e.id}); ${comeBack(open)}:`
        : `:scroll: The executive meeting of ${e.cycle} decided on ${count(decided)} of the frozen plan you own and did not decide ${open === 1 ? 'one' : open}, which ${open === 1 ? 'comes' : 'come'} back to the next meeting (decision ${e.id}):`;
  const lines = breaks.map((d) => dispositionLine({ ...d, owner: null }));
  const fitted = fitLines(lines, { chars: 2 * (SECTION_TEXT_CHARS - head.length) }, (k) =>
    andMore(k, k === 1 ? 'break' : 'breaks', FULL_LOG),
  ).lines;
  const actions = [...new Set(breaks.flatMap((d) => (d.actionId ? [`#${d.actionId}`] : [])))];
  const stays = actions.length
    ? `Your S&OE ${actions.length === 1 ? `action ${actions[0]} stays` : `actions ${actions.join(', ')} stay`} open: mark ${actions.length === 1 ? 'it' : 'each'} done when the deviation is handled.`
    : '';
  const tail = `${dispositionsNext(breaks).join(' ')} ${stays}`.trim();
  return {
    text: clipMrkdwn(
      `${head} ${breaks.map((d) => `${OUTCOME_DONE[breakOutcome(d)]}: ${esc(d.summary)}`).join('; ')}`,
      3000,
    ),
    blocks: [
      ...sectionTexts(head, fitted).map(
        (t): types.KnownBlock => ({ type: 'section', text: mrkdwn(t) }),
      ),
      { type: 'context', elements: [mrkdwn(clipMrkdwn(tail, 3000))] },
    ],
  };
}
