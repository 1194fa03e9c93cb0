/**
 * Only a sales rep is asked for forecast input on the families they cover (`/sop status`, the
 * nudges). A rep made planner mid-cycle was answered "is now *Planner*." while their families
 * silently lost their rep; and `/sop families @planner FAM-1` answered "now covers `FAM-1`"
 * while `/sop status` went on saying no sales rep covers FAM-1. The role change now says which
 * families nobody is asked about any more and how to give them to a rep; families for someone
 * who is not a sales rep are refused, saying what to do. Through the real bot over HTTP with the
 * stand-in, against Postgres.
 */
import { describe, expect, it } from 'vitest';
import { insertCycle } from '../helpers/db.js';
import { insertFamilies, testClock, useHarness } from './meeting-fixture.js';

const ADMIN = 'U_ADMIN';
const RITA = 'U_RITA';
const SAM = 'U_SAM';
const PAT = 'U_PAT';
const h = useHarness({
  label: 'role-families',
  members: { [ADMIN]: 'admin', [RITA]: 'sales', [SAM]: 'sales', [PAT]: 'planner' },
  clock: testClock('2027-01-10T10:00:00Z'),
});

/** `/sop <text>` as the admin, and the next ephemeral they get. */
async function sop(text: string): Promise<string> {
  const n = h.standin.ephemeralsFor(ADMIN).length;
  await h.sop(ADMIN, text, 'C_GENERAL');
  return (await h.standin.waitFor(() => h.standin.ephemeralsFor(ADMIN)[n], 20_000)).text;
}

const covers = async (user: string) =>
  (
    await h.db
      .selectFrom('member_families')
      .innerJoin('families', 'families.id', 'member_families.family_id')
      .select('families.code')
      .where('slack_user_id', '=', user)
      .orderBy('families.code')
      .execute()
  ).map((r) => r.code);

const familyAudits = async () =>
  (
    await h.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'member.families')
      .execute()
  ).length;

describe("a sales rep's families when their role changes", () => {
  it('names the families nobody is asked about any more, and how to give them to a rep', async () => {
    await insertFamilies(h.db);
    await insertCycle(h.db, { month: '2027-01', phase: 'data_gathering' });
    expect(await sop(`families <@${RITA}> FAM-1 FAM-2`)).toBe(
      `<@${RITA}> now covers \`FAM-1\`, \`FAM-2\`.`,
    );
    expect(await sop(`families <@${SAM}> FAM-2`)).toBe(`<@${SAM}> now covers \`FAM-2\`.`);

    // Rita becomes a planner: Sam still covers FAM-2, nobody covers FAM-1.
    expect(await sop(`role <@${RITA}> planner`)).toBe(
      `<@${RITA}> is now *Planner*. They are no longer asked for forecast input on \`FAM-1\`, \`FAM-2\` (kept for them if they are made Sales again). No other sales rep covers \`FAM-1\`: give it to one with \`/sop families @rep FAM-1\`, adding the families that rep covers already (the command sets their whole list; \`/sop families @rep\` shows it).`,
    );
    expect(await covers(RITA)).toEqual(['FAM-1', 'FAM-2']);
    // /sop status says the same of FAM-1.
    expect(await sop('status')).toContain('*No sales rep covers* FAM-1');

    // Sam becomes operations: FAM-2 loses its last rep too.
    expect(await sop(`role <@${SAM}> ops`)).toBe(
      `<@${SAM}> is now *Operations*. They are no longer asked for forecast input on \`FAM-2\` (kept for them if they are made Sales again). No other sales rep covers \`FAM-2\`: give it to one with \`/sop families @rep FAM-2\`, adding the families that rep covers already (the command sets their whole list; \`/sop families @rep\` shows it).`,
    );
    // Rita is a rep again: her families count again, nothing more to say.
    expect(await sop(`role <@${RITA}> sales`)).toBe(`<@${RITA}> is now *Sales*.`);
    // Sam, made planner from operations, was no rep: nothing is said of his list.
    expect(await sop(`role <@${SAM}> planner`)).toBe(`<@${SAM}> is now *Planner*.`);
  });

  it('says so when another rep still covers each family', async () => {
    // Rita (FAM-1, FAM-2) and Sam (FAM-2, kept while he is a planner): made Sales again, Sam
    // covers FAM-2 with Rita, who then leaves sales.
    expect(await sop(`role <@${SAM}> sales`)).toBe(`<@${SAM}> is now *Sales*.`);
    expect(await sop(`families <@${SAM}> FAM-1 FAM-2`)).toBe(
      `<@${SAM}> now covers \`FAM-1\`, \`FAM-2\`.`,
    );
    expect(await sop(`role <@${RITA}> exec`)).toBe(
      `<@${RITA}> is now *Executive*. They are no longer asked for forecast input on \`FAM-1\`, \`FAM-2\` (kept for them if they are made Sales again); another sales rep covers each.`,
    );
  });

  it('lists the families, each with the sales reps who cover it, for /sop families alone', async () => {
    // It answered "Mention the rep first", listing nothing. Now Sam (Sales) covers FAM-1 and
    // FAM-2; Rita (Executive) keeps hers but is no rep, so is not named. FAM-3 has nobody;
    // its name is typed text (escaped); an inactive family is in no plan, so not listed.
    await h.db
      .insertInto('families')
      .values([
        {
          code: 'FAM-3',
          name: 'Tubes & <tyres>',
          price: 10,
          unit_cost: 4,
          holding_cost: 1,
          backlog_cost: 1,
        },
        {
          code: 'FAM-0',
          name: 'Old frames',
          price: 10,
          unit_cost: 4,
          holding_cost: 1,
          backlog_cost: 1,
          active: false,
        },
      ])
      .execute();
    expect(await sop('families')).toBe(
      [
        "*The company's 3 families* and the sales reps who cover them:",
        `• \`FAM-1\` Road bikes: <@${SAM}>`,
        `• \`FAM-2\` Spare parts: <@${SAM}>`,
        '• `FAM-3` Tubes &amp; &lt;tyres&gt;: _no sales rep_',
        'Give a rep their families with `/sop families @rep FAM-1 FAM-2` (it sets their whole list).',
      ].join('\n'),
    );
    // Listing changes nothing, and stays with those who assign families.
    expect(await covers(SAM)).toEqual(['FAM-1', 'FAM-2']);
    const n = h.standin.ephemeralsFor(RITA).length;
    await h.sop(RITA, 'families', 'C_GENERAL');
    const refused = await h.standin.waitFor(() => h.standin.ephemeralsFor(RITA)[n], 20_000);
    expect(refused.text).toContain('Only Planner or Admin members can');
  });

  it('refuses families for someone who is not a sales rep, saying what to do', async () => {
    const audits = await familyAudits();
    expect(await sop(`families <@${PAT}> FAM-1`)).toBe(
      `:warning: <@${PAT}> is *Planner*, and only sales reps cover families (each is asked for forecast input on theirs); nothing was changed. Give the families to a sales rep, or make <@${PAT}> one first with \`/sop role <@${PAT}> sales\`.`,
    );
    expect(await covers(PAT)).toEqual([]);
    expect(await familyAudits()).toBe(audits);
    // Clearing a former rep's list is taken: Rita (an executive now) keeps nothing.
    expect(await sop(`families <@${RITA}> none`)).toBe(`<@${RITA}> now covers no families.`);
    expect(await covers(RITA)).toEqual([]);
    expect(await familyAudits()).toBe(audits + 1);
  });

  it('refuses a person typed as text, saying to pick them from the list', async () => {
    // "@rita" not picked from Slack's list arrives as text: it answered "Mention one person,
    // then a role", "Mention the rep first" and "is neither a @user nor …", the @ typed.
    const pick =
      'is a name Slack did not link: type @ and pick the person from the list Slack offers, so it links them';
    expect(await sop('role @rita sales')).toBe(
      `:warning: \`@rita\` ${pick}. Usage: \`/sop role @user sales|ops|planner|exec|admin|none\``,
    );
    expect(await sop('families @rita FAM-1')).toBe(
      `:warning: \`@rita\` ${pick}. Usage: \`/sop families @user FAM-1 FAM-2 ... | none\``,
    );
    expect(await sop('actions @rita')).toBe(
      `:warning: \`@rita\` ${pick}.\nUsage: /sop actions [@user|me] [open|overdue|all]`,
    );
  });

  it('refuses a list written with commas, with the command to type', async () => {
    // "FAM-1, FAM-2" answered "Unknown family: `FAM-1,`.", as if FAM-1 did not exist.
    const audits = await familyAudits();
    const before = await covers(SAM);
    expect(await sop(`families <@${SAM}> FAM-1, FAM-2`)).toBe(
      `:warning: \`FAM-1,\`: a family code has no comma; separate the codes with spaces, as in \`/sop families @rep FAM-1 FAM-2\`.`,
    );
    expect(await sop(`families <@${SAM}> FAM-1,FAM-2`)).toBe(
      `:warning: \`FAM-1,FAM-2\`: a family code has no comma; separate the codes with spaces, as in \`/sop families @rep FAM-1 FAM-2\`.`,
    );
    expect(await covers(SAM)).toEqual(before);
    expect(await familyAudits()).toBe(audits);
  });

  it('a rep whose role is taken away: names the families nobody covers now', async () => {
    // Sam (Sales) covers FAM-1 and FAM-2; Rita, an executive, none. Sam leaves: his row and
    // list go, and no other rep covers either family.
    expect(await sop(`role <@${SAM}> none`)).toBe(
      `<@${SAM}> no longer has a role in sopbot (they were *Sales*) and covers no families: they are not asked for input, nudged or counted in votes. No other sales rep covers \`FAM-1\`, \`FAM-2\`: give them to one with \`/sop families @rep FAM-1 FAM-2\`, adding the families that rep covers already (the command sets their whole list; \`/sop families @rep\` shows it).`,
    );
    expect(await covers(SAM)).toEqual([]);
    expect(await sop('status')).toContain('No sales rep covers any family yet');
  });
});
