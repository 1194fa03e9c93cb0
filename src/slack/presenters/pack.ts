/** The meeting pack as Block Kit: a header, then one short section per question (≤ 13 blocks). */
import type { types } from '@slack/bolt';
import type { PackData } from '../../services/pack-data.js';
import { packSections } from '../../services/pack-markdown.js';
import { clip, esc, mrkdwn, plain } from './format.js';

/**
 * The pack's lines hold typed text (comments, reasons, descriptions, names from a CSV) next
 * to the pack's own mentions of the members it names. Every line is escaped, then only the
 * mentions of those members are made live again: text that imitates one can ping no one the
 * message does not already ping, and `<!channel>`, other mentions and links stay text.
 */
function packLine(line: string, named: ReadonlySet<string>): string {
  return esc(line).replace(/&lt;@([A-Z0-9]+)&gt;/g, (whole, id: string) =>
    named.has(id) ? `<@${id}>` : whole,
  );
}

export function packMessage(p: PackData): { text: string; blocks: types.KnownBlock[] } {
  const sections = packSections(p);
  const named = new Set([
    ...p.risks.flagged.map((f) => f.author),
    ...p.actions.map((a) => a.owner),
  ]);
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
          `${marked}*${s.n}. ${s.title}*\n${s.lines.map((l) => `• ${packLine(l, named)}`).join('\n')}`,
          3000,
        ),
      ),
    });
  }
  return { text: `S&OP ${p.cycle.month}: executive pack (ten questions)`, blocks };
}
