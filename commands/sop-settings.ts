/**
 * `/sop settings` (admins): channels, time fences, horizon and the comment threshold.
 * With no arguments it shows the current settings.
 */
import { z } from 'zod';
import { codeSpan } from '../src/core/text.js';
import { readTypedNumber } from '../src/core/typed-number.js';
import { UsageError } from '../src/errors.js';
import { changeSettings, getSettings, type SettingsPatch } from '../src/services/settings.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { settingsText } from '../src/slack/presenters/help.js';
import { parseChannelMention } from '../src/slack/tokenise.js';

const USAGE = [
  '/sop settings channels demand #chan supply #chan exec #chan',
  '/sop settings fences <frozen months> <slushy months>',
  '/sop settings horizon <months>',
  '/sop settings comment-threshold <percent>',
  '/sop settings execution production=<%> receipts=<%> frozen-break=<%> due-days=<days>',
].join('\n');

/** `/sop settings execution` keys → the S&OE threshold columns. */
const EXECUTION_KEYS = {
  production: ['soe_production_shortfall_pct', 'production shortfall %', 0.1, 100],
  receipts: ['soe_receipt_shortfall_pct', 'receipt shortfall %', 0.1, 100],
  'frozen-break': ['soe_frozen_break_pct', 'frozen-zone break %', 0.1, 1000],
  'due-days': ['soe_due_days', 'due days', 0, 30],
} as const;

/**
 * A typed setting read as people type numbers everywhere else (src/core/typed-number.ts): an
 * empty value is missing, not 0, `0x2` is not a number (z.coerce read them as 0 and 2), and a
 * number written another way (`1e1`, `(2)`, `–3`, `N/A`) is refused saying what to write. A
 * setting in % (`unit`) takes a trailing % (`production=2.5%` is 2.5); one in months or days
 * refuses it naming its unit (`horizon 12%`: write 12).
 */
const typed = (what: string, min: number, max: number, unit: '%' | 'months' | 'days' = '%') =>
  z.preprocess(
    (v, ctx) => {
      const refuse = (message: string) => {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      };
      const text = typeof v === 'string' ? v.trim() : '';
      if (text === '') return refuse(`${what} is missing: give a number`);
      const pct = /^(.*\d)\s*%$/.exec(text);
      if (pct && unit !== '%')
        return refuse(`${what} is in ${unit}, not %: write ${pct[1]} for ${codeSpan(text)}`);
      const n = readTypedNumber(pct ? (pct[1] ?? '') : text);
      if (n.kind === 'number') return n.value;
      if (n.kind === 'decimal-comma') return refuse(`${what}: ${n.message.replace(/\.$/, '')}`);
      if (n.kind === 'other-writing')
        return refuse(`${what}: ${codeSpan(text)} ${n.message.replace(/\.$/, '')}`);
      if (n.kind === 'no-value')
        return refuse(`${what}: ${codeSpan(text)} is no number; every setting has one, so give it`);
      return refuse(`${what} must be a number, not ${codeSpan(text)}`);
    },
    z
      .number()
      .min(min, `${what} must be at least ${min}`)
      .max(max, `${what} must be at most ${max}`),
  );

const months = (what: string, min: number, max: number, unit: '%' | 'months' | 'days' = 'months') =>
  typed(what, min, max, unit).pipe(z.number().int(`${what} must be a whole number`));

function parsePatch(args: readonly string[]): SettingsPatch {
  const [what, ...rest] = args;
  const check = <T>(schema: z.ZodType<T>, v: string | undefined): T => {
    const r = schema.safeParse(v);
    if (!r.success) throw new UsageError(`${r.error.issues[0]?.message}.\nUsage:\n${USAGE}`);
    return r.data;
  };
  switch (what) {
    case 'channels': {
      const patch: { demand_channel?: string; supply_channel?: string; exec_channel?: string } = {};
      for (let i = 0; i < rest.length; i += 2) {
        const kind = rest[i];
        const typedChannel = rest[i + 1] ?? '';
        const channel = parseChannelMention(typedChannel);
        // "#demand" as typed: Slack sends a channel as a link (<#C…|demand>) only when it was
        // picked from the list it offers, or it names one Slack knows.
        if (!channel && typedChannel.startsWith('#'))
          throw new UsageError(
            `${codeSpan(typedChannel)} is not a channel Slack linked: type # and pick the channel from the list Slack offers (it links it), or give its id (C…).`,
          );
        if (!channel || (kind !== 'demand' && kind !== 'supply' && kind !== 'exec'))
          throw new UsageError(
            `Expected pairs like \`demand #channel\` (demand, supply or exec), got ${codeSpan(rest.slice(i, i + 2).join(' '))}.\nUsage:\n${USAGE}`,
          );
        patch[`${kind}_channel`] = channel;
      }
      if (Object.keys(patch).length === 0)
        throw new UsageError(`Name a channel.\nUsage:\n${USAGE}`);
      return patch;
    }
    case 'fences':
      return {
        frozen_months: check(months('frozen months', 0, 12), rest[0]),
        slushy_months: check(months('slushy months', 0, 24), rest[1]),
      };
    case 'horizon':
      return { horizon_months: check(months('horizon', 1, 36), rest[0]) };
    case 'comment-threshold':
      return { comment_threshold_pct: check(months('comment threshold', 0, 1000, '%'), rest[0]) };
    case 'execution': {
      const patch: Record<string, number> = {};
      for (const pair of rest) {
        const [k, v] = pair.split('=');
        // A key in any case, as the setting names are read (`Production=2`).
        const spec = EXECUTION_KEYS[(k ?? '').toLowerCase() as keyof typeof EXECUTION_KEYS];
        if (!spec)
          throw new UsageError(
            `Expected key=value with a key of ${Object.keys(EXECUTION_KEYS).join(', ')}, got ${codeSpan(pair)}.\nUsage:\n${USAGE}`,
          );
        const [column, what, min, max] = spec;
        patch[column] = check(
          column === 'soe_due_days' ? months(what, min, max, 'days') : typed(what, min, max),
          v,
        );
      }
      if (Object.keys(patch).length === 0)
        throw new UsageError(`Name a threshold.\nUsage:\n${USAGE}`);
      return patch as SettingsPatch;
    }
    default:
      throw new UsageError(`Unknown setting ${codeSpan(what ?? '')}.\nUsage:\n${USAGE}`);
  }
}

export const settings: SopSubcommand = {
  name: 'settings',
  usage:
    '/sop settings channels demand #chan supply #chan exec #chan | fences | horizon | comment-threshold | execution …',
  summary: 'channels, time fences, horizon, comment threshold, S&OE thresholds',
  action: 'settings.change',
  keywords: [
    'channels',
    'demand',
    'supply',
    'exec',
    'fences',
    'horizon',
    'comment-threshold',
    'execution',
  ],
  forms: USAGE.split('\n'),
  async handle({ deps, args, member, respond }) {
    if (args.length === 0) {
      await respond({ response_type: 'ephemeral', text: settingsText(await getSettings(deps.db)) });
      return;
    }
    // A vote open in the executive channel this change replaced stays there until it closes.
    const { row, votesLeftBehind } = await changeSettings(deps.db, parsePatch(args), {
      by: member.userId,
    });
    const note = votesLeftBehind
      .map(
        (v) =>
          `\nVote ${v.pollId} (${v.month}) stays open in <#${v.channel}> until it closes, and its decision is posted in its thread there; new votes go to <#${row.exec_channel}>.`,
      )
      .join('');
    await respond({ response_type: 'ephemeral', text: `${settingsText(row)}${note}` });
  },
};
