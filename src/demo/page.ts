/**
 * The demo's page: `index.html` shows what Slack showed, laid out like Slack. A sidebar of
 * channels and DMs; each conversation in time order with its threads, the private replies
 * ("only visible to …") where they appeared, the slash commands people typed, and the modals
 * as they were submitted. mrkdwn is rendered, mentions show names, charts are inline.
 * Self-contained: one HTML file (styles inline, no script) and its images in img/.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  Standin,
  StoredEphemeral,
  StoredFile,
  StoredMessage,
  UserAction,
} from '../slack-standin/index.js';
import { escapeHtml, type MrkdwnNames, mrkdwnToHtml, typedToHtml } from './mrkdwn-html.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOf = (t: unknown): string => (isObj(t) && typeof t.text === 'string' ? t.text : '');

interface Ctx {
  readonly names: MrkdwnNames;
  /** File id → path relative to index.html, for the files whose bytes the stand-in holds. */
  readonly images: ReadonlyMap<string, { path: string; file: StoredFile }>;
}

/** A text object: mrkdwn rendered, plain_text escaped (emoji codes still shown as emoji). */
function textObj(t: unknown, ctx: Ctx): string {
  if (!isObj(t)) return '';
  const s = typeof t.text === 'string' ? t.text : '';
  return t.type === 'mrkdwn' ? mrkdwnToHtml(s, ctx.names) : escapeHtml(s).replace(/\n/g, '<br>');
}

function imageHtml(el: Obj, ctx: Ctx, cls: string): string {
  const alt = escapeHtml(String(el.alt_text ?? ''));
  const slackFile = isObj(el.slack_file) ? el.slack_file : undefined;
  const id = typeof slackFile?.id === 'string' ? slackFile.id : undefined;
  const byUrl = [...ctx.images.values()].find(
    (i) => typeof slackFile?.url === 'string' && slackFile.url.includes(i.file.id),
  );
  const local = (id ? ctx.images.get(id) : undefined) ?? byUrl;
  if (local) return `<img class="${cls}" src="${escapeHtml(local.path)}" alt="${alt}">`;
  // An external image would need the network: say what it was instead.
  return `<span class="missing-image">[image: ${alt}]</span>`;
}

/** An interactive element as Slack draws it (not clickable here). */
function elementHtml(el: unknown, ctx: Ctx): string {
  if (!isObj(el)) return '';
  switch (el.type) {
    case 'button':
      return `<span class="btn ${el.style === 'primary' ? 'primary' : el.style === 'danger' ? 'danger' : ''}">${textObj(el.text, ctx)}</span>`;
    case 'image':
      return imageHtml(el, ctx, 'accessory-img');
    case 'overflow':
      return '<span class="btn overflow">⋯</span>';
    default: {
      const initial = isObj(el.initial_option) ? textObj(el.initial_option.text, ctx) : '';
      const shown =
        initial ||
        (typeof el.initial_date === 'string' ? escapeHtml(el.initial_date) : '') ||
        (typeof el.initial_user === 'string' ? escapeHtml(ctx.names.user(el.initial_user)) : '') ||
        textObj(el.placeholder, ctx) ||
        escapeHtml(String(el.type ?? ''));
      return `<span class="select">${shown} ▾</span>`;
    }
  }
}

/** What a person entered in one input, from the view_submission state values. */
function enteredHtml(state: unknown, ctx: Ctx): string {
  if (!isObj(state)) return '<span class="empty">(left empty)</span>';
  const opt = (o: unknown) => (isObj(o) ? textObj(o.text, ctx) : '');
  if (isObj(state.selected_option)) return opt(state.selected_option);
  if (Array.isArray(state.selected_options))
    return state.selected_options.map(opt).join(', ') || '<span class="empty">(none)</span>';
  if (typeof state.selected_user === 'string')
    return `<span class="mention">@${escapeHtml(ctx.names.user(state.selected_user))}</span>`;
  if (Array.isArray(state.selected_users))
    return state.selected_users
      .map((u) => `<span class="mention">@${escapeHtml(ctx.names.user(String(u)))}</span>`)
      .join(' ');
  if (typeof state.selected_date === 'string') return `📅 ${escapeHtml(state.selected_date)}`;
  if (typeof state.selected_time === 'string') return `🕒 ${escapeHtml(state.selected_time)}`;
  if (typeof state.selected_conversation === 'string')
    return `#${escapeHtml(ctx.names.channel(state.selected_conversation))}`;
  if (typeof state.value === 'string' && state.value !== '')
    return escapeHtml(state.value).replace(/\n/g, '<br>');
  return '<span class="empty">(left empty)</span>';
}

/** Block Kit → HTML. `values`: a submitted modal's state, to show what was entered. */
export function blocksHtml(blocks: readonly unknown[], ctx: Ctx, values?: Obj): string {
  const out: string[] = [];
  for (const raw of blocks) {
    if (!isObj(raw)) continue;
    const b = raw;
    switch (b.type) {
      case 'header':
        out.push(`<div class="b-header">${textObj(b.text, ctx)}</div>`);
        break;
      case 'section': {
        const fields = Array.isArray(b.fields)
          ? `<div class="b-fields">${b.fields.map((f) => `<div>${textObj(f, ctx)}</div>`).join('')}</div>`
          : '';
        const accessory = b.accessory
          ? `<div class="b-accessory">${elementHtml(b.accessory, ctx)}</div>`
          : '';
        out.push(
          `<div class="b-section"><div class="b-main">${b.text ? `<div>${textObj(b.text, ctx)}</div>` : ''}${fields}</div>${accessory}</div>`,
        );
        break;
      }
      case 'context':
        out.push(
          `<div class="b-context">${(Array.isArray(b.elements) ? b.elements : [])
            .map((e) =>
              isObj(e) && e.type === 'image'
                ? imageHtml(e, ctx, 'context-img')
                : `<span>${textObj(e, ctx)}</span>`,
            )
            .join('')}</div>`,
        );
        break;
      case 'image':
        out.push(
          `<figure class="b-image">${b.title ? `<figcaption>${textObj(b.title, ctx)}</figcaption>` : ''}${imageHtml(b, ctx, 'chart')}</figure>`,
        );
        break;
      case 'actions':
        out.push(
          `<div class="b-actions">${(Array.isArray(b.elements) ? b.elements : [])
            .map((e) => elementHtml(e, ctx))
            .join('')}</div>`,
        );
        break;
      case 'divider':
        out.push('<hr class="b-divider">');
        break;
      case 'input': {
        const el = isObj(b.element) ? b.element : {};
        const blockId = String(b.block_id ?? '');
        const actionId = String(el.action_id ?? '');
        const state = values
          ? isObj(values[blockId])
            ? values[blockId][actionId]
            : undefined
          : undefined;
        const shown = values ? enteredHtml(state, ctx) : elementHtml(el, ctx);
        out.push(
          `<div class="b-input"><label>${textObj(b.label, ctx)}${b.optional ? ' <span class="optional">(optional)</span>' : ''}</label><div class="field">${shown}</div>${b.hint ? `<div class="hint">${textObj(b.hint, ctx)}</div>` : ''}</div>`,
        );
        break;
      }
      case 'rich_text':
        out.push(
          `<div class="b-section"><div class="b-main">${escapeHtml(JSON.stringify(b.elements ?? []))}</div></div>`,
        );
        break;
      default:
        break;
    }
  }
  return out.join('\n');
}

function initials(name: string): string {
  return (
    name
      .replace(/\(.*\)/, '')
      .trim()
      .split(/\s+/)
      .map((w) => w[0] ?? '')
      .join('')
      .slice(0, 2)
      .toUpperCase() || '?'
  );
}

function hue(id: string): number {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) % 360;
  return h;
}

/** A time on the page: the story's date and time when `story` maps to it, else the time of day. */
function clockOf(story?: (realMs: number) => number): (ms: number) => string {
  return story
    ? (ms) => new Date(story(ms)).toISOString().slice(0, 16).replace('T', ' ')
    : (ms) => new Date(ms).toISOString().slice(11, 19);
}

function avatar(id: string, name: string, bot: boolean): string {
  return bot
    ? '<div class="avatar bot">S</div>'
    : `<div class="avatar" style="background:hsl(${hue(id)} 45% 45%)">${escapeHtml(initials(name))}</div>`;
}

interface Item {
  readonly at: number;
  readonly html: string;
}

export interface PageInput {
  readonly standin: Standin;
  readonly actions: readonly UserAction[];
  /** Display names by user id (real names); the stand-in's users fill the gaps. */
  readonly people?: Readonly<Record<string, string>>;
  readonly title?: string;
  /** The story's time at a machine instant (the demo's clock): messages show the story's dates. */
  readonly storyTime?: (realMs: number) => number;
}

/** Builds the page; returns the HTML and the images it refers to (path → bytes). */
export function renderPage(input: PageInput): { html: string; images: Map<string, Buffer> } {
  const { standin, actions } = input;
  const { store } = standin;
  const clock = clockOf(input.storyTime);
  const botId = standin.identity.botUserId;
  const userName = (id: string) =>
    input.people?.[id] ??
    store.users.get(id)?.real_name ??
    (id === botId ? 'sopbot' : store.users.get(id)?.name) ??
    id;
  const channelName = (id: string) => {
    const ch = store.channels.get(id);
    if (!ch) return id;
    return ch.is_im ? userName(ch.user ?? id) : ch.name;
  };
  const images = new Map<string, Buffer>();
  const imageRefs = new Map<string, { path: string; file: StoredFile }>();
  for (const f of standin.files) {
    if (!f.bytes || !/\.(png|jpe?g|gif|svg)$/i.test(f.name)) continue;
    const path = `img/${f.id}-${f.name.replace(/[^\w.-]+/g, '_')}`;
    images.set(path, f.bytes);
    imageRefs.set(f.id, { path, file: f });
  }
  const ctx: Ctx = { names: { user: userName, channel: channelName }, images: imageRefs };

  const messageHtml = (
    m: StoredMessage,
    replies: readonly StoredMessage[],
    ephemerals: readonly StoredEphemeral[],
  ): string => {
    const bot = m.user === botId;
    const name = userName(m.user);
    const body = m.blocks?.length
      ? blocksHtml(m.blocks, ctx)
      : `<div class="b-section"><div class="b-main">${mrkdwnToHtml(m.text, ctx.names)}</div></div>`;
    const files = m.files
      .map((id) => {
        const img = imageRefs.get(id);
        const f = standin.files.find((x) => x.id === id);
        if (img)
          return `<figure class="file"><figcaption>${escapeHtml(img.file.title || img.file.name)}</figcaption><img class="chart" src="${escapeHtml(img.path)}" alt="${escapeHtml(img.file.title || img.file.name)}"></figure>`;
        return f ? `<div class="file">📎 ${escapeHtml(f.name)}</div>` : '';
      })
      .join('');
    const reactions = m.reactions.length
      ? `<div class="reactions">${m.reactions.map((r) => `<span class="reaction">${mrkdwnToHtml(`:${r.name}:`, ctx.names)} ${r.users.length}</span>`).join('')}</div>`
      : '';
    const thread: string =
      replies.length || ephemerals.length
        ? `<div class="thread"><div class="thread-count">${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</div>${timeline(
            [
              ...replies.map((r) => ({ at: tsMs(r.ts), html: messageHtml(r, [], []) })),
              ...ephemerals.map((e) => ({ at: tsMs(e.ts), html: ephemeralHtml(e) })),
            ],
          )}</div>`
        : '';
    return `<div class="msg" id="m-${escapeHtml(m.ts)}">${avatar(m.user, name, bot)}<div class="content"><div class="meta"><span class="name">${escapeHtml(name)}</span>${bot ? '<span class="app">APP</span>' : ''}<span class="time">${clock(tsMs(m.ts))}</span>${m.edited ? '<span class="edited">(edited)</span>' : ''}</div>${body}${files}${reactions}${thread}</div></div>`;
  };

  const ephemeralHtml = (e: StoredEphemeral): string => {
    const body = e.blocks?.length
      ? blocksHtml(e.blocks, ctx)
      : `<div class="b-section"><div class="b-main">${mrkdwnToHtml(e.text, ctx.names)}</div></div>`;
    return `<div class="msg ephemeral">${avatar(botId, userName(botId), true)}<div class="content"><div class="meta"><span class="name">${escapeHtml(userName(botId))}</span><span class="app">APP</span><span class="time">${clock(tsMs(e.ts))}</span><span class="only">👁 Only visible to ${escapeHtml(userName(e.user))}</span></div>${body}</div></div>`;
  };

  const actionHtml = (a: UserAction) => {
    if (a.kind === 'command')
      return `<div class="typed">${avatar(a.user, userName(a.user), false)}<div><span class="name">${escapeHtml(userName(a.user))}</span> typed <span class="cmd">${escapeHtml(a.command)} ${typedToHtml(a.text, ctx.names)}</span></div></div>`;
    if (a.kind === 'click')
      return `<div class="typed">${avatar(a.user, userName(a.user), false)}<div><span class="name">${escapeHtml(userName(a.user))}</span> clicked <span class="btn small">${escapeHtml(a.label)}</span></div></div>`;
    return '';
  };

  const sections: { id: string; title: string; kind: 'channel' | 'dm' | 'modals'; html: string }[] =
    [];
  for (const ch of store.channels.values()) {
    const top = standin.messagesIn(ch.id);
    const ephemerals = store.ephemerals.filter((e) => e.channel === ch.id);
    const typed = actions.filter((a) => a.kind !== 'submit' && a.channel === ch.id);
    if (top.length === 0 && ephemerals.length === 0 && typed.length === 0) continue;
    const items: Item[] = [
      ...top.map((m) => ({
        at: tsMs(m.ts),
        html: messageHtml(
          m,
          standin.threadReplies(ch.id, m.ts),
          ephemerals.filter((e) => e.thread_ts === m.ts),
        ),
      })),
      ...ephemerals
        .filter((e) => !e.thread_ts || !top.some((m) => m.ts === e.thread_ts))
        .map((e) => ({ at: tsMs(e.ts), html: ephemeralHtml(e) })),
      ...typed.map((a) => ({ at: a.at, html: actionHtml(a) })),
    ];
    const title = ch.is_im ? userName(ch.user ?? '') : ch.name;
    sections.push({
      id: `c-${ch.id}`,
      title,
      kind: ch.is_im ? 'dm' : 'channel',
      html: `<section id="c-${escapeHtml(ch.id)}" class="conversation"><h2>${ch.is_im ? `Direct messages with sopbot · ${escapeHtml(title)}` : `# ${escapeHtml(title)}`}</h2>${timeline(items)}</section>`,
    });
  }
  const submitted = actions.filter((a) => a.kind === 'submit');
  if (submitted.length) {
    const cards = submitted.map((a) => {
      const v = a.view as Obj;
      const blocks = Array.isArray(v.blocks) ? v.blocks : [];
      return `<div class="modal-wrap"><div class="modal-by">${escapeHtml(userName(a.user))} submitted this modal at ${clock(a.at)}${a.accepted ? '' : ' (refused)'}</div><div class="modal"><div class="modal-title">${escapeHtml(textOf(v.title))}</div><div class="modal-body">${blocksHtml(blocks, ctx, a.values as Obj)}</div><div class="modal-foot">${v.close ? `<span class="btn">${escapeHtml(textOf(v.close))}</span>` : ''}${v.submit ? `<span class="btn primary">${escapeHtml(textOf(v.submit))}</span>` : ''}</div></div></div>`;
    });
    sections.push({
      id: 'modals',
      title: 'Modals as submitted',
      kind: 'modals',
      html: `<section id="modals" class="conversation"><h2>Modals, as they were filled in</h2>${cards.join('\n')}</section>`,
    });
  }
  const nav = (kind: 'channel' | 'dm' | 'modals', heading: string) => {
    const list = sections.filter((s) => s.kind === kind);
    return list.length
      ? `<div class="nav-h">${heading}</div>${list.map((s) => `<a href="#${escapeHtml(s.id)}">${kind === 'channel' ? '# ' : kind === 'dm' ? '● ' : '▢ '}${escapeHtml(s.title)}</a>`).join('')}`
      : '';
  };
  const title = input.title ?? 'sopbot demo: what Slack showed';
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<div class="layout">
<nav class="sidebar"><div class="workspace">${escapeHtml(standin.identity.teamDomain)}</div>${nav('channel', 'Channels')}${nav('dm', 'Direct messages')}${nav('modals', 'Modals')}</nav>
<main>
<header class="top">${escapeHtml(title)}</header>
${sections.map((s) => s.html).join('\n')}
</main>
</div>
</body>
</html>
`;
  return { html, images };
}

function tsMs(ts: string): number {
  return Number(ts) * 1000;
}

function timeline(items: readonly Item[]): string {
  return [...items]
    .sort((a, b) => a.at - b.at)
    .map((i) => i.html)
    .join('\n');
}

/** Writes `index.html` and `img/` into `outDir`; returns the page's path. */
export async function writePage(outDir: string, input: PageInput): Promise<string> {
  const { html, images } = renderPage(input);
  await mkdir(join(outDir, 'img'), { recursive: true });
  for (const [path, bytes] of images) await writeFile(join(outDir, path), bytes);
  const path = join(outDir, 'index.html');
  await writeFile(path, html);
  return path;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.46668 "Lato","Helvetica Neue","DejaVu Sans",Arial,sans-serif;color:#1d1c1d;background:#fff}
.layout{display:flex;min-height:100vh}
.sidebar{width:240px;flex:none;background:#3f0e40;color:#cfc3cf;padding:12px 0;position:sticky;top:0;height:100vh;overflow:auto}
.workspace{color:#fff;font-weight:900;font-size:18px;padding:4px 16px 14px;border-bottom:1px solid #5d3a5e;margin-bottom:10px}
.nav-h{padding:10px 16px 4px;font-size:13px;color:#bcabbc}
.sidebar a{display:block;padding:3px 16px 3px 26px;color:#e4dae4;text-decoration:none;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.sidebar a:hover{background:#350d36}
main{flex:1;min-width:0;max-width:1100px}
.top{padding:14px 20px;font-weight:700;border-bottom:1px solid #ddd;background:#f8f8f8}
.conversation{border-bottom:6px solid #f0f0f0;padding-bottom:10px}
.conversation h2{margin:0;padding:12px 20px;font-size:18px;font-weight:900;border-bottom:1px solid #e8e8e8;position:sticky;top:0;background:#fff;z-index:1}
.msg{display:flex;gap:8px;padding:8px 20px}
.msg:hover{background:#f8f8f8}
.avatar{width:36px;height:36px;border-radius:6px;flex:none;color:#fff;font-weight:700;display:flex;align-items:center;justify-content:center;font-size:14px}
.avatar.bot{background:#1264a3}
.content{min-width:0;flex:1}
.meta{display:flex;gap:6px;align-items:baseline}
.name{font-weight:900}
.app{font-size:10px;background:#e8e8e8;color:#616061;border-radius:2px;padding:0 3px;font-weight:700}
.time,.edited{color:#616061;font-size:12px}
.only{color:#616061;font-size:12px;margin-left:auto}
.ephemeral{background:#f4f8fb;border-left:3px solid #1264a3}
.typed{display:flex;gap:8px;align-items:center;padding:4px 20px;color:#616061;font-size:13px}
.typed .avatar{width:20px;height:20px;font-size:9px;border-radius:4px}
.typed .name{color:#1d1c1d}
.cmd{font-family:"DejaVu Sans Mono",Menlo,monospace;font-size:12px;background:#f6f6f6;border:1px solid #e0e0e0;border-radius:3px;padding:0 4px;color:#1d1c1d}
.b-header{font-weight:900;font-size:17px;margin:4px 0}
.b-section{display:flex;gap:12px;margin:2px 0;overflow-wrap:anywhere}
.b-main{flex:1;min-width:0}
.b-fields{display:grid;grid-template-columns:1fr 1fr;gap:6px 16px;margin-top:6px}
.b-accessory{flex:none}
.b-context{color:#616061;font-size:12.5px;display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:4px 0}
.context-img{width:16px;height:16px}
.accessory-img{width:88px;height:88px;border-radius:4px;object-fit:cover}
.b-actions{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.btn{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:3px 12px;font-weight:700;font-size:13px;background:#fff}
.btn.primary{background:#007a5a;border-color:#007a5a;color:#fff}
.btn.danger{background:#fff;border-color:#e01e5a;color:#e01e5a}
.btn.small{padding:0 6px;font-size:12px}
.select{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:3px 10px;font-size:13px;min-width:140px}
hr.b-divider{border:0;border-top:1px solid #ddd;margin:8px 0}
figure{margin:6px 0}
figcaption{color:#616061;font-size:12.5px;margin-bottom:4px}
img.chart{max-width:min(100%,720px);height:auto;border:1px solid #e8e8e8;border-radius:6px;display:block}
.missing-image{color:#616061;font-style:italic}
.file{margin:6px 0}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
code{font:12px/1.5 "DejaVu Sans Mono",Menlo,monospace;background:#f6f6f6;border:1px solid #e0e0e0;border-radius:3px;padding:0 3px;color:#e01e5a}
pre{font:12px/1.5 "DejaVu Sans Mono",Menlo,monospace;background:#f8f8f8;border:1px solid #e0e0e0;border-radius:4px;padding:8px;white-space:pre-wrap;margin:4px 0}
blockquote{margin:4px 0;padding-left:10px;border-left:4px solid #ddd}
a{color:#1264a3}
.thread{margin-top:6px;border-left:2px solid #e0e0e0;padding-left:4px}
.thread .msg{padding:6px 8px}
.thread-count{color:#1264a3;font-weight:700;font-size:13px;padding:2px 8px}
.reactions{display:flex;gap:4px;margin-top:4px}
.reaction{border:1px solid #ddd;border-radius:12px;padding:0 6px;font-size:12px;background:#f8f8f8}
.modal-wrap{padding:12px 20px}
.modal-by{color:#616061;font-size:13px;margin-bottom:6px}
.modal{max-width:520px;border:1px solid #ccc;border-radius:8px;box-shadow:0 4px 12px rgba(0,0,0,.12)}
.modal-title{font-weight:900;font-size:20px;padding:14px 20px;border-bottom:1px solid #e8e8e8}
.modal-body{padding:12px 20px}
.modal-foot{display:flex;justify-content:flex-end;gap:8px;padding:12px 20px;border-top:1px solid #e8e8e8}
.b-input{margin:10px 0}
.b-input label{display:block;font-weight:700;margin-bottom:4px}
.optional{font-weight:400;color:#616061}
.field{border:1px solid #bbb;border-radius:4px;padding:6px 10px;min-height:34px}
.hint{color:#616061;font-size:12.5px;margin-top:2px}
.empty{color:#9a9a9a}
`;
