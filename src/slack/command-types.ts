/**
 * The contract between the `/sop` router (commands/sop.ts) and its subcommands
 * (commands/sop-<name>.ts). The router acks first, takes the member from the context, checks
 * the subcommand's row of the policy (src/core/policy.ts), and only then calls `handle`. Before
 * its ack it asks the subcommand whether it opens a form (`opensForm`).
 */
import type { RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Action } from '../core/policy.js';
import type { AppDeps } from '../deps.js';
import type { Member } from '../services/members.js';

export interface SopCommandContext {
  readonly deps: AppDeps;
  readonly command: SlashCommand;
  /**
   * Whitespace-separated tokens after the subcommand name (quotes keep phrases together), each
   * of the subcommand's `keywords` read in any case.
   */
  readonly args: readonly string[];
  /** The raw text after the subcommand name. */
  readonly rest: string;
  readonly client: WebClient;
  /** Posts to the command's response_url (ephemeral by default). */
  readonly respond: RespondFn;
  readonly member: Member;
  /** A key derived from the request, stable across Slack's retries: use it for idempotency. */
  readonly requestKey: string;
}

/**
 * One use of a command as `/sop help` shows it. Who may use it is read from the policy's row
 * `action` (never written here), so help names the roles the command checks.
 */
export interface HelpEntry {
  /** e.g. `/sop role @user sales|ops|planner|exec|admin` */
  readonly usage: string;
  readonly summary: string;
  /** The row of src/core/policy.ts that allows this use. */
  readonly action: Action;
  /**
   * Who else may, by a relation rather than a role ("the action's owner"), where the command
   * checks that relation beside the row.
   */
  readonly alsoBy?: string;
  /**
   * How `/sop help`'s short list of the commands a reader may not use names this use: mrkdwn
   * written here, its command in a code span (`/sop vote mode|quorum` in backticks); the
   * command alone (`/sop vote`) when absent.
   */
  readonly brief?: string;
}

export interface SopSubcommand {
  readonly name: string;
  /** Its plain use (`usage`, `summary`), allowed by `action`, the row the router checks. */
  readonly usage: string;
  readonly summary: string;
  /** The row of src/core/policy.ts that allows using this subcommand. */
  readonly action: Action;
  /**
   * Its uses that `handle` allows by another row than `action` (a verb such as `post` or
   * `resolve`), each shown in help with that row's roles.
   */
  readonly parts?: readonly HelpEntry[];
  /**
   * Each of its forms written out, where `usage` can only name them (`/sop settings channels …
   * | fences | horizon`): `/sop help <name>` lists them, `/sop help` alone does not.
   */
  readonly forms?: readonly string[];
  /**
   * The words `handle` reads as keywords (lower case: verbs, setting names, filters, units).
   * The router reads each in any case before `opensForm` and `handle` see the args
   * (`readKeywords`, src/slack/tokenise.ts): `/sop vote Quorum 3` is `/sop vote quorum 3`. A
   * value whose case matters (a name, a reason, an id) is never one of them.
   */
  readonly keywords?: readonly string[];
  /**
   * Where free text starts in these args (their keywords read), kept as typed even where a word
   * of it is a keyword (`/sop cycle holidays add 2027-01-02 Next Day`): absent, it has none.
   */
  freeTextFrom?(args: readonly string[]): number;
  /**
   * Whether this use (its `args`) opens a form first: the router then says so before its ack
   * (`formFirst`, src/slack/after-ack-limit.ts), so the form's trigger_id (3 s) does not wait
   * for an after-ack slot, and `handle` opens it with `openForm`. Absent: it opens none.
   */
  opensForm?(args: readonly string[]): boolean;
  handle(ctx: SopCommandContext): Promise<void>;
}
