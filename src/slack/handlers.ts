/**
 * Every module that registers listeners on the Bolt app. Add one line per module; the app
 * registers them in this order.
 */
import type { App } from '@slack/bolt';
import * as actionButtons from '../../commands/action-buttons.js';
import * as actionFromMessage from '../../commands/action-from-message.js';
import * as capacity from '../../commands/capacity.js';
import * as constraintButtons from '../../commands/constraint-buttons.js';
import * as execution from '../../commands/execution.js';
import * as explain from '../../commands/explain.js';
import * as forecast from '../../commands/forecast.js';
import * as home from '../../commands/home.js';
import * as scenario from '../../commands/scenario.js';
import * as sop from '../../commands/sop.js';
import * as userChange from '../../commands/user-change.js';
import * as voteButtons from '../../commands/vote-buttons.js';
import type { AppDeps } from '../deps.js';

export interface HandlerModule {
  register(app: App, deps: AppDeps): void;
}

export const HANDLER_MODULES: readonly HandlerModule[] = [
  sop,
  forecast,
  capacity,
  home,
  voteButtons,
  scenario,
  actionButtons,
  execution,
  explain,
  actionFromMessage,
  constraintButtons,
  userChange,
];
