/** /capacity: operations update a resource's capacity, by modal or typed command. */
import type { App } from '@slack/bolt';
import type { AppDeps } from '../src/deps.js';
import { CAPACITY_CHANGE, submitCapacityUpdate } from '../src/services/capacity.js';
import { type ChangeSpec, registerChangeCommand } from '../src/slack/change-flow.js';
import { CAPACITY_USAGE } from '../src/slack/presenters/help.js';

export const CAPACITY: ChangeSpec = {
  ...CAPACITY_CHANGE,
  usage: '/capacity LINE-2 2027-01..2027-02 -30% maintenance "Overhaul"',
  submit: submitCapacityUpdate,
};

export function register(app: App, deps: AppDeps): void {
  registerChangeCommand(app, deps, CAPACITY, CAPACITY_USAGE);
}
