/**
 * Shortcuts, as Slack offers them: only those the app's manifest.json declares
 * (`features.shortcuts[]`, `type` 'message' or 'global'), so a test cannot invoke a shortcut
 * an installed app would not show.
 */
import { readFileSync } from 'node:fs';
import { defaultManifest } from './scopes.js';

export interface ManifestShortcut {
  readonly name: string;
  readonly type: 'message' | 'global';
  readonly callback_id: string;
}

export function manifestShortcuts(file: URL = defaultManifest()): readonly ManifestShortcut[] {
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
    features?: { shortcuts?: unknown };
  };
  const list = manifest.features?.shortcuts;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (s): s is ManifestShortcut =>
      typeof s === 'object' &&
      s !== null &&
      typeof (s as ManifestShortcut).callback_id === 'string' &&
      ((s as ManifestShortcut).type === 'message' || (s as ManifestShortcut).type === 'global'),
  );
}
