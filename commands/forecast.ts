/** Placeholder while the /forecast handlers are being written. */
import type { App } from '@slack/bolt';
import type { AppDeps } from '../src/deps.js';

export function register(_app: App, _deps: AppDeps): void {}
