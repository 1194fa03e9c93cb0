/**
 * Slack mrkdwn → HTML, as Slack's clients render it: *bold*, _italic_, ~strike~, `code`,
 * ``` blocks ```, > quotes, <links|labels>, <@U…> mentions and <#C…> channels resolved to
 * names, <!date^…> dates, and the emoji shortcodes the bot uses. Everything else is text,
 * escaped: nothing a person typed can become markup.
 */
import { MONTH_NAMES } from '../core/period.js';

export interface MrkdwnNames {
  readonly user: (id: string) => string;
  readonly channel: (id: string) => string;
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Slack escapes only these three in message text. */
function unescapeSlack(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const EMOJI: Readonly<Record<string, string>> = {
  warning: '⚠️',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  heavy_multiplication_x: '✖️',
  triangular_flag_on_post: '🚩',
  hourglass_flowing_sand: '⏳',
  hourglass: '⌛',
  ok_hand: '👌',
  snowflake: '❄️',
  scroll: '📜',
  rotating_light: '🚨',
  memo: '📝',
  lock: '🔒',
  family: '👪',
  droplet: '💧',
  crystal_ball: '🔮',
  black_small_square: '▪️',
  alarm_clock: '⏰',
  chart_with_upwards_trend: '📈',
  chart_with_downwards_trend: '📉',
  bar_chart: '📊',
  calendar: '📆',
  date: '📅',
  ballot_box_with_ballot: '🗳️',
  busts_in_silhouette: '👥',
  bust_in_silhouette: '👤',
  factory: '🏭',
  package: '📦',
  moneybag: '💰',
  tada: '🎉',
  bell: '🔔',
  pushpin: '📌',
  clipboard: '📋',
  information_source: 'ℹ️',
  bulb: '💡',
  arrow_right: '➡️',
  arrow_up: '⬆️',
  arrow_down: '⬇️',
  red_circle: '🔴',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  large_orange_circle: '🟠',
  no_entry: '⛔',
  construction: '🚧',
  wrench: '🔧',
  gear: '⚙️',
  eyes: '👀',
  thumbsup: '👍',
  '+1': '👍',
  speech_balloon: '💬',
  mag: '🔍',
  zzz: '💤',
  repeat: '🔁',
  hammer_and_wrench: '🛠️',
  page_facing_up: '📄',
  inbox_tray: '📥',
  outbox_tray: '📤',
  star: '⭐',
  heavy_plus_sign: '➕',
  heavy_minus_sign: '➖',
};

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}

/** `<!date^1700000000^{date_short} at {time}|fallback>` tokens, in UTC (the demo's people are). */
export function formatSlackDate(epochSeconds: number, format: string): string {
  const d = new Date(epochSeconds * 1000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  const weekday = d.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
  const tokens: Record<string, string> = {
    date_num: `${y}-${pad(m + 1)}-${pad(day)}`,
    date: `${MONTH_NAMES[m]} ${ordinal(day)}, ${y}`,
    date_short: `${MONTH_NAMES[m]!.slice(0, 3)} ${day}, ${y}`,
    date_long: `${weekday}, ${MONTH_NAMES[m]} ${ordinal(day)}, ${y}`,
    date_pretty: `${MONTH_NAMES[m]} ${ordinal(day)}, ${y}`,
    date_short_pretty: `${MONTH_NAMES[m]!.slice(0, 3)} ${day}, ${y}`,
    date_long_pretty: `${weekday}, ${MONTH_NAMES[m]} ${ordinal(day)}, ${y}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
    time_secs: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
  };
  return format.replace(/\{(\w+)\}/g, (all, t: string) => tokens[t] ?? all);
}

/** One `<…>` construct → HTML. */
function angle(inner: string, names: MrkdwnNames): string {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? undefined : unescapeSlack(inner.slice(bar + 1));
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `<span class="mention">@${escapeHtml(names.user(id) || label || id)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return `<span class="mention">#${escapeHtml(names.channel(id) || label || id)}</span>`;
  }
  if (target.startsWith('!date^')) {
    const [, ts, format, link] = target.split('^');
    const epoch = Number(ts);
    const shown = Number.isFinite(epoch) ? formatSlackDate(epoch, format ?? '{date}') : label;
    const text = escapeHtml(shown ?? label ?? '');
    return link && /^https?:/.test(link)
      ? `<a href="${escapeHtml(link)}">${text}</a>`
      : `<time>${text}</time>`;
  }
  if (target.startsWith('!subteam^'))
    return `<span class="mention">@${escapeHtml(label ?? 'group')}</span>`;
  if (target.startsWith('!'))
    return `<span class="mention">@${escapeHtml(target.slice(1).split('^')[0] ?? '')}</span>`;
  const url = unescapeSlack(target);
  const safe = /^(https?|mailto):/i.test(url) ? url : '#';
  return `<a href="${escapeHtml(safe)}" rel="noreferrer">${escapeHtml(label ?? url)}</a>`;
}

/**
 * Inline formatting of escaped text without code or links in it. A mark opens after the start,
 * a space or punctuation and closes before the end, a space or punctuation; one that does
 * neither (between letters, or beside the zero-width space of `escInMarks`) is text, inside a
 * bold or italic run too.
 */
function inline(escaped: string): string {
  const edge = '(^|[\\s(\\[{>"\'—–-])';
  const end = '(?=$|[\\s.,;:!?)\\]}<"\'—–-])';
  const wrap = (s: string, mark: string, tag: string) =>
    s.replace(
      new RegExp(`${edge}\\${mark}([^\\s${mark}](?:[^\\n]*?[^\\s${mark}])?)\\${mark}${end}`, 'g'),
      (_all, pre: string, body: string) => `${pre}<${tag}>${body}</${tag}>`,
    );
  let out = wrap(escaped, '*', 'b');
  out = wrap(out, '_', 'i');
  out = wrap(out, '~', 's');
  return out.replace(/:([a-z0-9_+-]+):/g, (all, name: string) => EMOJI[name] ?? all);
}

/** Text a person typed (a slash command): only `<@U…>`-style references are resolved. */
export function typedToHtml(text: string, names: MrkdwnNames): string {
  return text
    .split(/(<[^<>\n]+>)/)
    .map((part, i) =>
      i % 2 === 1 ? angle(part.slice(1, -1), names) : escapeHtml(unescapeSlack(part)),
    )
    .join('');
}

/** Render one mrkdwn text to HTML (block-level: paragraphs are lines, quotes and code blocks). */
export function mrkdwnToHtml(text: string, names: MrkdwnNames): string {
  const held: string[] = [];
  const hold = (html: string) => `\uE000${held.push(html) - 1}\uE000`;
  // Code first: nothing inside code is formatted.
  let s = text.replace(/```([\s\S]*?)```/g, (_all, body: string) =>
    hold(`<pre>${escapeHtml(unescapeSlack(body.replace(/^\n/, '')))}</pre>`),
  );
  s = s.replace(/`([^`\n]+)`/g, (_all, body: string) =>
    hold(`<code>${escapeHtml(unescapeSlack(body))}</code>`),
  );
  s = s.replace(/<([^<>\n]+)>/g, (_all, inner: string) => hold(angle(inner, names)));
  const lines = s.split('\n').map((line) => {
    const quote = /^(?:&gt;|>)\s?(.*)$/.exec(line);
    const body = inline(escapeHtml(unescapeSlack(quote ? quote[1]! : line)));
    return { quote: Boolean(quote), html: body };
  });
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    if (lines[i]!.quote) {
      const q: string[] = [];
      while (i < lines.length && lines[i]!.quote) q.push(lines[i++]!.html);
      out.push(`<blockquote>${q.join('<br>')}</blockquote>`);
    } else {
      out.push(lines[i++]!.html);
    }
  }
  return out
    .join('<br>')
    .replace(/\uE000(\d+)\uE000/g, (_all, n: string) => held[Number(n)] ?? '')
    .replace(/<br>(<blockquote>|<pre>)/g, '$1')
    .replace(/(<\/blockquote>|<\/pre>)<br>/g, '$1');
}
