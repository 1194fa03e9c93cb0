/**
 * The README's "In Slack" table says who may run each command; POLICY (src/core/policy.ts)
 * decides it. Each row's commands are mapped to their action (a `/sop` subcommand's own, from
 * the registry, or the one its verb checks), and the row's "who" must name exactly that
 * action's roles. Every `/sop` subcommand has a row.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SOP_SUBCOMMANDS } from '../../commands/sop-registry.js';
import type { Role } from '../../src/core/company.js';
import { type Action, POLICY } from '../../src/core/policy.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## In Slack'), readme.indexOf('## Configuration'));
const rows = section
  .split('\n')
  .filter((l) => l.startsWith('| `/'))
  .map((l) => {
    const cells = l.split(/(?<!\\)\|/).map((c) => c.trim());
    return { command: cells[1] ?? '', who: cells[2] ?? '' };
  });

/** Verbs that ask for another action than their subcommand's (see each command's file). */
const VERB_ACTIONS: Readonly<Record<string, Action>> = {
  'cycle start': 'cycle.manage',
  'cycle next': 'cycle.manage',
  'cycle close': 'cycle.manage',
  'cycle deadlines': 'cycle.manage',
  'pack post': 'pack.post',
  'vote mode': 'vote.configure',
  'vote quorum': 'vote.configure',
  'constraints resolve': 'capacity.update',
  'constraints withdraw': 'capacity.update',
  // Its owner may too (a relation, not a role): src/services/action-reassign.ts.
  'actions reassign': 'action.manage-any',
  // Its owner may too, as with its Done button: src/services/actions.ts markDone.
  'actions done': 'action.manage-any',
};
const COMMAND_ACTIONS: Readonly<Record<string, Action>> = {
  '/forecast': 'forecast.adjust',
  '/capacity': 'capacity.update',
};

function actionOf(command: string): Action {
  const [slash, name = '', verb = ''] = command.split(/\s+/);
  if (slash !== '/sop') {
    const action = COMMAND_ACTIONS[slash ?? ''];
    if (!action) throw new Error(`no action known for ${command}`);
    return action;
  }
  const sub = SOP_SUBCOMMANDS.find((s) => s.name === name);
  if (!sub) throw new Error(`no /sop subcommand '${name}' (${command})`);
  return VERB_ACTIONS[`${name} ${verb}`] ?? sub.action;
}

const LABEL: Readonly<Record<Role, string>> = {
  sales: 'sales',
  planner: 'planners',
  exec: 'executives',
  ops: 'operations',
  admin: 'admins',
};
const whoOf = (action: Action): string => {
  const row: readonly Role[] | 'anyone' = POLICY[action];
  return row === 'anyone' ? 'anyone' : row.map((r) => LABEL[r]).join(', ');
};

describe("README's In Slack table", () => {
  it('names, for every command, the roles POLICY allows', () => {
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      const commands = [...row.command.matchAll(/`(\/[^`]+)`/g)].map((m) =>
        (m[1] ?? '').replace(/\\\|/g, '|'),
      );
      for (const command of commands)
        expect({ command, who: row.who }).toEqual({ command, who: whoOf(actionOf(command)) });
    }
  });

  it('has a row for every /sop subcommand', () => {
    const named = new Set(
      rows.flatMap((r) => [...r.command.matchAll(/`\/sop (\w+)/g)].map((m) => m[1])),
    );
    expect(SOP_SUBCOMMANDS.map((s) => s.name).filter((n) => !named.has(n))).toEqual([]);
  });

  it('reads the hand-checked rows as written', () => {
    const who = (command: string) => rows.find((r) => r.command.startsWith(command))?.who;
    expect(who('`/sop status`')).toBe('anyone');
    expect(who('`/sop whatif')).toBe('planners, executives, operations, admins');
    expect(who('`/sop decide`')).toBe('executives, admins');
    expect(who('`/sop execution`')).toBe('operations, planners, admins');
  });
});
