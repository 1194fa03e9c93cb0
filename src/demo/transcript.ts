/**
 * Renders what the Slack stand-in received into a readable transcript: channels with their
 * threads, DMs and private (ephemeral) replies, as a person would read them in Slack.
 */
import type { Standin, StoredMessage } from '../slack-standin/index.js';

/** Flatten Block Kit into plain lines: headers, sections, fields, context, images. */
function blocksToText(blocks: readonly unknown[] | undefined): string[] {
  const out: string[] = [];
  const text = (t: unknown): string =>
    t && typeof t === 'object' && 'text' in t ? String((t as { text: unknown }).text) : '';
  for (const raw of blocks ?? []) {
    const b = raw as Record<string, unknown>;
    switch (b.type) {
      case 'header':
        out.push(`## ${text(b.text)}`);
        break;
      case 'section':
        if (b.text) out.push(text(b.text));
        if (Array.isArray(b.fields)) out.push(b.fields.map(text).join(' | '));
        break;
      case 'context':
        if (Array.isArray(b.elements))
          out.push(`_${b.elements.map(text).filter(Boolean).join(' · ')}_`);
        break;
      case 'image':
        out.push(`[image: ${String(b.alt_text ?? '')}]`);
        break;
      case 'actions':
        if (Array.isArray(b.elements))
          out.push(
            `[buttons: ${b.elements
              .map((e) => text((e as Record<string, unknown>).text))
              .filter(Boolean)
              .join(' / ')}]`,
          );
        break;
      case 'divider':
        out.push('---');
        break;
      default:
        break;
    }
  }
  return out;
}

function messageLines(
  m: StoredMessage,
  names: (id: string) => string,
  files: Standin['files'],
): string {
  const body = blocksToText(m.blocks);
  const shown = body.length ? body.join('\n') : m.text;
  const attached = m.files
    .map((id) => files.find((f) => f.id === id))
    .filter((f) => f !== undefined)
    .map((f) => `📎 ${f.name} (${f.title}, ${Math.round(f.length / 1024)} KB)`);
  const edited = m.edited ? ' _(edited)_' : '';
  return [`**${names(m.user)}**${edited}:`, shown, ...attached].join('\n');
}

export function renderTranscript(
  standin: Standin,
  users: Readonly<Record<string, string>>,
): string {
  const names = (id: string) => users[id] ?? (id === standin.identity.botUserId ? 'sopbot' : id);
  const parts: string[] = ['# What Slack showed during the demo', ''];
  const channels = [...standin.store.channels.values()];
  for (const ch of channels) {
    const top = standin.messagesIn(ch.id);
    if (top.length === 0) continue;
    const title = ch.id.startsWith('D_') ? `DM with ${names(ch.id.slice(2))}` : `#${ch.name}`;
    parts.push(`## ${title}`, '');
    for (const m of top) {
      parts.push(messageLines(m, names, standin.files), '');
      for (const r of standin.threadReplies(ch.id, m.ts)) {
        parts.push(
          messageLines(r, names, standin.files)
            .split('\n')
            .map((l) => `> ${l}`)
            .join('\n'),
          '',
        );
      }
    }
  }
  const eph = standin.store.ephemerals;
  if (eph.length) {
    parts.push('## Private replies (only the user saw them)', '');
    for (const e of eph) {
      const body = blocksToText(e.blocks);
      parts.push(`**to ${names(e.user)}**: ${(body.length ? body.join('\n') : e.text).trim()}`, '');
    }
  }
  return `${parts.join('\n')}\n`;
}
