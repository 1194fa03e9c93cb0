/**
 * S&OE sales deviations recorded before they named the forecast range keep "P90" in their
 * summary: "FAM-1 sold 150 in the week of 2027-02-01, above the week's P90 140 (+7.1%)" (and,
 * before that, "above its P90 share 140"). The pack quotes a deviation's summary to executives,
 * and its action's reminders, digest lines and App Home row repeat it under "Sales above range",
 * so the old term reached people beside the new one. Both sentences are sopbot's own, written
 * from the deviation's figures, so they are rewritten in today's words with the same figures:
 * "… above 140, the top of its forecast range (+7.1%)". An action's description is rewritten
 * only where it is still that deviation's summary, word for word (people's text is not touched).
 * The audit log keeps what was said then.
 */
import { type Kysely, sql } from 'kysely';

/** The old endings: "above the week's P90 140 (+7.1%)", "above its P90 share 140 (+7.1%)". */
const OLD = String.raw`^(.* sold \S+ in the week of \d{4}-\d{2}-\d{2}), above (?:the week's P90|its P90 share) (\S+) \(([^()]*)\)$`;
const NEW = String.raw`\1, above \2, the top of its forecast range (\3)`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`update actions a
    set description = regexp_replace(d.summary, ${OLD}, ${NEW})
    from deviations d
    where d.action_id = a.id and d.kind = 'sales_above_p90'
      and d.summary ~ ${OLD} and a.description = d.summary`.execute(db);
  await sql`update deviations
    set summary = regexp_replace(summary, ${OLD}, ${NEW})
    where kind = 'sales_above_p90' and summary ~ ${OLD}`.execute(db);
}

/** The old words are not wanted back: the rewritten sentences hold the same figures. */
export async function down(_db: Kysely<any>): Promise<void> {}
