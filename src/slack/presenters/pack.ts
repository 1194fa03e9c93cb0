/** The meeting pack as Block Kit: a header, then one short section per question (≤ 13 blocks). */
import type { types } from '@slack/bolt';
import { type PackData, packPeople, packSections } from '../../services/pack.js';
import { clip, escKeepingMentions, mrkdwn, plain } from './format.js';

export function packMessage(p: PackData): { text: string; blocks: types.KnownBlock[] } {
  const sections = packSections(p);
  // The pack's lines are plain text: escaped here, with the mentions of the members it names.
  const named = new Set(packPeople(p));
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: plain(clip(`S&OP ${p.cycle.month}: executive pack`, 150)) },
    {
      type: 'context',
      elements: [
        mrkdwn(
          `Pre-read for the executive meeting · plan run ${p.runId ?? 'none'}${p.previous ? ` · compared with ${p.previous.month}` : ''} · full text: \`/sop pack md\``,
        ),
      ],
    },
  ];
  for (const s of sections) {
    const marked = s.n === 6 && !p.decisions.decided ? ':rotating_light: ' : '';
    blocks.push({
      type: 'section',
      text: mrkdwn(
        clip(
          `${marked}*${s.n}. ${s.title}*\n${s.lines.map((l) => `• ${escKeepingMentions(l, named)}`).join('\n')}`,
          3000,
        ),
      ),
    });
  }
  return { text: `S&OP ${p.cycle.month}: executive pack (ten questions)`, blocks };
}
