/**
 * Text people type is data, in refusals too. Every command below is refused or corrected with
 * a reply that repeats what was typed; the typed text holds Slack control sequences
 * (`<!channel>`, `<!here>`, `<!subteam^…>`, a link). The real bot over HTTP answers through
 * the stand-in, and each reply must show the sequence as text (`&lt;!channel&gt;`, Slack's
 * documented escaping) and hold no live one.
 */
import { describe, expect, it } from 'vitest';
import { setCycleScenario } from '../../src/services/scenarios.js';
import { useHttpTestBot } from '../helpers/bot.js';
import { commandEphemeral } from '../helpers/slack.js';
import { insertFamilies, pollUntil, seedForecastCycle } from './meeting-fixture.js';

const REP = 'UREP0001';
const OPS = 'UOPS0001';
const ADMIN = 'UADM0001';

const s = useHttpTestBot('typed-refusals', {
  standin: {
    users: [
      { id: REP, name: 'rita', real_name: 'Rita Rep', tz: 'Europe/Paris' },
      { id: OPS, name: 'otto', real_name: 'Otto Ops', tz: 'Europe/Paris' },
      { id: ADMIN, name: 'ada', real_name: 'Ada Admin', tz: 'Europe/Paris' },
    ],
    postMessageRate: false,
  },
  env: { SOPBOT_ADMIN_USERS: ADMIN, SOPBOT_RECOMPUTE_CRON: 'off' },
  seed: async (t) => {
    const { fam1 } = await insertFamilies(t.db);
    await seedForecastCycle(t.db, fam1, { rep: REP, ops: OPS, months: 12 });
  },
});

/** Every live control sequence Slack would act on: specials, user groups, links. */
const LIVE = /<(!|https?:|mailto:|#|@S)/;

interface Case {
  readonly command: string;
  readonly user: string;
  readonly text: string;
  /** What the reply must show, escaped, where it repeats the typed text. */
  readonly shows?: string;
}

const CASES: readonly Case[] = [
  { command: '/sop', user: ADMIN, text: '<!channel>', shows: '&lt;!channel&gt;' },
  { command: '/sop', user: ADMIN, text: 'cycle <!here>', shows: '&lt;!here&gt;' },
  { command: '/sop', user: ADMIN, text: 'cycle start <!channel>', shows: '&lt;!channel&gt;' },
  { command: '/sop', user: ADMIN, text: `role <@${REP}> <!channel>`, shows: '&lt;!channel&gt;' },
  { command: '/sop', user: ADMIN, text: 'scenario <!channel>', shows: '&lt;!channel&gt;' },
  { command: '/sop', user: ADMIN, text: 'settings <!channel>', shows: '&lt;!channel&gt;' },
  {
    command: '/sop',
    user: ADMIN,
    text: 'settings channels <!channel> <!here>',
    shows: '&lt;!channel&gt;',
  },
  { command: '/sop', user: ADMIN, text: 'settings execution <!here>=2', shows: '&lt;!here&gt;' },
  { command: '/sop', user: ADMIN, text: 'vote <!channel>', shows: '&lt;!channel&gt;' },
  { command: '/sop', user: ADMIN, text: 'vote mode <!channel>', shows: '&lt;!channel&gt;' },
  { command: '/sop', user: ADMIN, text: 'vote quorum <!here>', shows: '&lt;!here&gt;' },
  { command: '/sop', user: ADMIN, text: 'pack <!channel>' },
  {
    command: '/sop',
    user: ADMIN,
    text: `families <@${REP}> <!subteam^S0001|@planners>`,
    shows: '&lt;!subteam^S0001|@planners&gt;',
  },
  {
    command: '/sop',
    user: ADMIN,
    text: 'explain <https://evil.example|the plan>',
  },
  { command: '/sop', user: ADMIN, text: 'explain <!channel> 2027-05' },
  {
    command: '/forecast',
    user: REP,
    text: '<!channel> 2027-07 +10% promotion',
    shows: '&lt;!channel&gt;',
  },
  {
    command: '/forecast',
    user: REP,
    text: 'FAM-1 <!here> +10% promotion',
    shows: '&lt;!here&gt;',
  },
  {
    command: '/forecast',
    user: REP,
    text: 'FAM-1 2027-07 +10% <!channel>',
    shows: '&lt;!channel&gt;',
  },
  {
    command: '/capacity',
    user: OPS,
    text: '<!channel> 2027-07 -10% maintenance',
    shows: '&lt;!channel&gt;',
  },
];

describe('a refusal repeats typed text as text', () => {
  it.each(CASES)('$command $text', async (c) => {
    const reply = await commandEphemeral(s, c.command, c.user, c.text);
    const all = [reply.text, JSON.stringify(reply.blocks ?? [])].join('\n');
    expect(all).not.toMatch(LIVE);
    if (c.shows) expect(reply.text).toContain(c.shows);
  });
});

/**
 * Typed text holding a backtick, quoted in a code span: the backtick shows as ˋ, so the span
 * holds to its end and nothing after it renders (`*bold*`) or pings (`<!channel>`, `<@U123>`).
 */
const HOSTILE = 'x` *bold* <!channel> <@U123>';
const SHOWN = '`xˋ *bold* &lt;!channel&gt; &lt;@U123&gt;`';

describe('typed text with a backtick stays inside its code span', () => {
  it.each([
    {
      command: '/sop',
      user: ADMIN,
      text: `role <@${REP}> "${HOSTILE}"`,
      reply: `:warning: ${SHOWN} is not a role; use one of sales, ops, planner, exec, admin. Usage: \`/sop role @user sales|ops|planner|exec|admin|none\``,
    },
    {
      command: '/sop',
      user: ADMIN,
      text: `settings "${HOSTILE}"`,
      reply: `:warning: Unknown setting ${SHOWN}.`,
    },
    {
      command: '/sop',
      user: ADMIN,
      text: `constraints "${HOSTILE}"`,
      reply: `:warning: There is no resource ${SHOWN}.`,
    },
    {
      command: '/sop',
      user: ADMIN,
      text: `"${HOSTILE}"`,
      reply: `Unknown subcommand ${SHOWN}.`,
    },
    {
      command: '/forecast',
      user: REP,
      text: `FAM-1 2027-07 +10% "${HOSTILE}"`,
      reply: `:warning: ${SHOWN} is not a reason;`,
    },
  ])('$command $text', async (c) => {
    const reply = await commandEphemeral(s, c.command, c.user, c.text);
    expect(reply.text.slice(0, c.reply.length)).toBe(c.reply);
    expect(reply.text).not.toMatch(/<@U123>|<!channel>/);
  });
});

/**
 * Each refusal that quotes one typed word, across words that would render or ping outside a
 * code span: a backtick, `*bold*`, `<!channel>`, a mention and a 500-character word. The
 * first line of the reply is what the person reads; a mention the person typed stays text.
 */
const TYPED = [
  { typed: 'x`*y*', shown: '`xˋ*y*`' },
  { typed: '*bold*', shown: '`*bold*`' },
  { typed: '<!channel>', shown: '`&lt;!channel&gt;`' },
  { typed: '<@U123>', shown: '`&lt;@U123&gt;`' },
  { typed: 'w'.repeat(500), shown: `\`${'w'.repeat(79)}…\`` },
] as const;

const REFUSALS: readonly {
  readonly text: (typed: string) => string;
  readonly reply: (shown: string) => string;
  /** A mention is no refusal there: `/sop actions @user` lists that person's actions. */
  readonly takesMention?: true;
}[] = [
  {
    text: (t) => `actions ${t}`,
    reply: (s) => `:warning: ${s} is neither a @user nor one of open, overdue, all.`,
    takesMention: true,
  },
  {
    text: (t) => `decisions ${t}`,
    reply: (s) => `:warning: ${s} is neither a month (YYYY-MM) nor md/csv.`,
  },
  {
    text: (t) => `vote ${t}`,
    reply: (s) =>
      `:warning: ${s}: give how long the vote stays open as whole hours or days, from 1 hour to 14 days, e.g. \`/sop vote 72\` or \`/sop vote 3 days\`.`,
  },
  {
    text: (t) => `vote mode ${t}`,
    reply: (s) =>
      `:warning: mode: use \`named\` (votes shown by name) or \`anonymous\` (counts only), got ${s}.`,
  },
  {
    text: (t) => `vote quorum ${t}`,
    reply: (s) =>
      `:warning: quorum: give a number of executive votes from 1 to 100, or \`off\`, got ${s}.`,
  },
  {
    text: (t) => `cycle start ${t}`,
    reply: (s) => `:warning: ${s} is not a month; write it as YYYY-MM, e.g. 2027-01.`,
  },
  {
    text: (t) => `cycle deadlines ${t}`,
    reply: (s) => `:warning: ${s}: write phase=days, e.g. demand_review=5.`,
  },
  {
    text: (t) => `families <@${REP}> FAM-1 ${t}`,
    reply: (s) =>
      `:warning: Nothing was changed: there is no family ${s}. Family codes look like FAM-1, FAM-2; the family field of \`/forecast\` finds any by its code or name.`,
  },
  {
    text: (t) => `whatif ${t}`,
    reply: (s) => `:warning: ${s}: unknown assumption ${s}. Write one of:`,
  },
];

it('/sop whatif with an unknown assumption lists the assumptions once', async () => {
  const reply = await commandEphemeral(s, '/sop', ADMIN, 'whatif budget +5%');
  // Before: the parser's list, then the command's "Write one of:" and the list again.
  expect(reply.text.match(/Write one of:/g)).toHaveLength(1);
  expect(reply.text.match(/overtime on\|off/g)).toHaveLength(1);
});

describe('a refusal quotes a typed word in a code span', () => {
  const cases = REFUSALS.flatMap((r) =>
    TYPED.filter((t) => !(r.takesMention && t.typed.startsWith('<@'))).map((t) => ({
      text: r.text(t.typed),
      reply: r.reply(t.shown),
    })),
  );
  it.each(cases)('/sop $text', async (c) => {
    const reply = await commandEphemeral(s, '/sop', ADMIN, c.text);
    expect(reply.text.split('\n')[0]).toBe(c.reply);
    expect(reply.text).not.toMatch(/<@U123>|<!channel>/);
  });
});

/**
 * `/sop whatif` posts the assumption it was given ("asked: what if `…`?") and its job repeats
 * it; only text the parser reads gets there. A typed word in any place of an assumption is
 * refused before anything is posted or queued: codes must be the company's (letters, digits,
 * - _ .), changes numbers with %, months YYYY-MM, and the rest the grammar's words.
 */
describe('a what-if holding typed text is refused before it is posted', () => {
  const PLACES: readonly ((t: string) => string)[] = [
    (t) => `${t} all +10%`,
    (t) => `demand ${t} +10%`,
    (t) => `demand all ${t}`,
    (t) => `demand all +10% ${t}`,
    (t) => `capacity ${t} -5% 2027-02`,
    (t) => `price ${t} +5%`,
    (t) => `overtime ${t}`,
    (t) => `overtime off; ${t}`,
  ];
  const cases = PLACES.flatMap((place) =>
    TYPED.map(({ typed }) => ({ text: place(typed.slice(0, 400)) })),
  );
  const queued = async () =>
    (await s.t.db.selectFrom('job_outbox').select('id').where('job_name', '=', 'whatif').execute())
      .length;

  it.each(cases)('/sop whatif $text', async (c) => {
    const posted = s.standin.messagesIn('C_GENERAL').length;
    const reply = await commandEphemeral(s, '/sop', ADMIN, `whatif ${c.text}`);
    expect(reply.text).toMatch(/^:warning: /);
    expect(reply.text).not.toMatch(/<@U123>|<!channel>/);
    expect(s.standin.messagesIn('C_GENERAL')).toHaveLength(posted);
    expect(await queued()).toBe(0);
  });

  it('posts one the parser reads, as typed', async () => {
    await s.driver.command('/sop', {
      user: ADMIN,
      channel: 'C_GENERAL',
      text: 'whatif demand fam-1 +10%;  overtime off',
    });
    const asked = await s.standin.waitFor(() => s.standin.messagesIn('C_GENERAL').at(-1));
    expect(asked.text).toBe(
      `:crystal_ball: ada asked: what if \`demand fam-1 +10%;  overtime off\`? Solving against Central…`,
    );
    // Queued after it is posted: the job carries the thread to answer in.
    expect(await pollUntil(queued, (n) => n > 0)).toBe(1);
  });

  it('posts one typed over several lines on one line, its line breaks written as the ; they mean', async () => {
    // Slack ends a code span at a line break: "what if `demand fam-1 +10%" then a bare line
    // "overtime off`?" with its backtick shown. The parser reads a new line as ";".
    await s.driver.command('/sop', {
      user: ADMIN,
      channel: 'C_GENERAL',
      text: 'whatif demand fam-1 -10%\n  overtime on \r\n\nprice all +2%',
    });
    const asked = await s.standin.waitFor(() =>
      s.standin
        .messagesIn('C_GENERAL')
        .find((m) => typeof m.text === 'string' && m.text.includes('fam-1 -10%')),
    );
    expect(asked.text).toBe(
      `:crystal_ball: ada asked: what if \`demand fam-1 -10%; overtime on; price all +2%\`? Solving against Central…`,
    );
  });

  it('names the scenario it is solved against as the planners labelled it, escaped', async () => {
    // The what-if is solved against the cycle's first scenario: relabelled, it is named so.
    const cycle = await s.t.db.selectFrom('cycles').select('id').executeTakeFirstOrThrow();
    await setCycleScenario(
      s.t.db,
      cycle.id,
      { name: 'central', label: 'Budget & base', overtime: true },
      ADMIN,
    );
    await s.driver.command('/sop', {
      user: ADMIN,
      channel: 'C_GENERAL',
      text: 'whatif overtime off',
    });
    const asked = await s.standin.waitFor(() =>
      s.standin
        .messagesIn('C_GENERAL')
        .find((m) => typeof m.text === 'string' && m.text.includes('`overtime off`?')),
    );
    expect(asked.text).toBe(
      `:crystal_ball: ada asked: what if \`overtime off\`? Solving against Budget &amp; base…`,
    );
  });
});
