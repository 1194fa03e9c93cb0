/**
 * The meeting pack as Block Kit: a header, then one short section per question (≤ 13 blocks).
 * A busy cycle has more to say than one message holds (Slack refuses blocks totalling about
 * 13k characters): the sections share MESSAGE_BLOCKS_CHARS, a short one shows all it has,
 * long lists end at a whole line with "…and N more" pointing to the full pack.
 */

import type { types } from '@slack/bolt';
import { CASES_WORDS } from '../../core/scenarios/trade-off.js';
import type { PackData } from '../../services/pack-data.js';
import { bullet, mention, namesUsed, type People, type Who } from '../../services/pack-loop.js';
import { packPeople, packSections } from '../../services/pack-markdown.js';
import {
  andMore,
  fitText,
  jsonChars,
  MESSAGE_BLOCKS_CHARS,
  SECTION_TEXT_CHARS,
  shareBudget,
} from './fit.js';
import { clip, esc, escKeepingMentions, mrkdwn, nameInLine, plain } from './format.js';

/** Where every line of the pack is, when the message had to leave some out. */
export const FULL_PACK = '`/sop pack md` has the full pack';

/** Why a scenario has no plan, in the message: its first sentences; the file has all of it. */
export const NO_PLAN_MESSAGE_CHARS = 300;

const section = (text: string): types.KnownBlock => ({ type: 'section', text: mrkdwn(text) });

/**
 * The pack's notification and screen-reader text: what it is, on which plan run, and its ask,
 * the decision question 6 says is needed now, or the scenario adopted.
 */
function packNotification(p: PackData): string {
  const run = p.runId ? ` on plan run ${p.runId}` : '';
  const d = p.decisions.decided;
  const ask = d
    ? `Decided: the ${esc(d.scenario)} scenario.`
    : 'Decision needed now: adopt one scenario (question 6).';
  return `S&OP ${p.cycle.month}: executive pack${run}, the pre-read for the executive meeting. ${ask}`;
}

/**
 * The members the Slack pack shows by name (who adjusted, recorded, entered, made an action):
 * the names to read before `packMessage`, and no others.
 */
export function packNamed(p: PackData): string[] {
  return namesUsed((people) => packSections(p, people, { messageChars: NO_PLAN_MESSAGE_CHARS }));
}

/**
 * `nameOf`: each person's name (userNames, resolved before: packNamed). Who did something is
 * named in plain text; only the owners question 10 asks to act are mentioned, and pinged.
 */
export function packMessage(
  p: PackData,
  nameOf: Who = (id) => id,
): { text: string; blocks: types.KnownBlock[] } {
  const people: People = { name: (id) => nameInLine(nameOf(id)), ask: mention };
  const sections = packSections(p, people, { messageChars: NO_PLAN_MESSAGE_CHARS });
  // The pack's lines are plain text: escaped here, with the mentions of the members it asks.
  const named = new Set(packPeople(p));
  const head: types.KnownBlock[] = [
    { type: 'header', text: plain(clip(`S&OP ${p.cycle.month}: executive pack`, 150)) },
    {
      type: 'context',
      elements: [
        mrkdwn(
          `Pre-read for the executive meeting · plan run ${p.runId ?? 'none'}${p.previous ? ` · compared with ${p.previous.month}` : ''} · ${CASES_WORDS} · full text: \`/sop pack md\``,
        ),
      ],
    },
  ];
  const parts = sections.map((s) => {
    const marked = s.n === 6 && !p.decisions.decided ? ':rotating_light: ' : '';
    return {
      title: `${marked}*${s.n}. ${s.title}*`,
      lines: s.lines.map((l) => bullet(l, 'slack', (t) => escKeepingMentions(t, named))),
    };
  });
  // Each section's JSON around its text, and the comma between blocks.
  const wrapper = JSON.stringify(section('')).length + 1;
  const room = MESSAGE_BLOCKS_CHARS - JSON.stringify(head).length - parts.length * wrapper;
  const budgets = shareBudget(
    parts.map((x) => jsonChars([x.title, ...x.lines].join('\n'))),
    room,
    SECTION_TEXT_CHARS,
  );
  const body = parts.map((x, i) =>
    section(
      fitText(x.title, x.lines, { chars: budgets[i] ?? 0, size: jsonChars }, (n) =>
        andMore(n, '', FULL_PACK),
      ).text,
    ),
  );
  return {
    text: packNotification(p),
    blocks: [...head, ...body],
  };
}
