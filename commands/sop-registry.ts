/** Every `/sop` subcommand. Add one line per module (commands/sop-<name>.ts). */
import type { SopSubcommand } from '../src/slack/command-types.js';
import { families } from './sop-families.js';
import { help } from './sop-help.js';
import { role } from './sop-role.js';
import { settings } from './sop-settings.js';

export const SOP_SUBCOMMANDS: readonly SopSubcommand[] = [help, role, families, settings];
