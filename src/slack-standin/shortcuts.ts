/**
 * Shortcuts, as Slack offers them: only those the app's manifest.json declares
 * (`features.shortcuts[]`, `type` 'message' or 'global'), so a test cannot invoke a shortcut
 * an installed app would not show.
 */
import { defaultManifest, manifestFeature } from './scopes.js';

export interface ManifestShortcut {
  readonly name: string;
  readonly type: 'message' | 'global';
  readonly callback_id: string;
}

export function manifestShortcuts(file: URL = defaultManifest()): readonly ManifestShortcut[] {
  const list = manifestFeature(file, 'shortcuts');
  return list.filter(
    (s): s is ManifestShortcut =>
      typeof s === 'object' &&
      s !== null &&
      typeof (s as ManifestShortcut).callback_id === 'string' &&
      ((s as ManifestShortcut).type === 'message' || (s as ManifestShortcut).type === 'global'),
  );
}
