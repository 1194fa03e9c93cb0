/**
 * The pack file is called what `/sop pack md` uploads: `sop-pack-2027-01.md` for the 2027-01
 * cycle (tests/integration/sop-uploads.test.ts sees that name on the stand-in). README's In
 * Slack table and `/sop help` say that name, not `pack.md` (the demo's own output file).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SOP_SUBCOMMANDS } from '../../commands/sop-registry.js';
import { helpText } from '../../src/slack/presenters/help.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const inSlack = readme.slice(readme.indexOf('## In Slack'), readme.indexOf('## Configuration'));

describe('the pack file name', () => {
  it('README names the file /sop pack md uploads', () => {
    const row = inSlack.split('\n').find((l) => l.includes('`/sop pack md`'));
    expect(row).toContain('`sop-pack-YYYY-MM.md`');
    expect(inSlack).not.toMatch(/(?<!-)pack\.md/);
  });

  it('/sop help names it too', () => {
    const help = helpText(SOP_SUBCOMMANDS, { role: 'exec' });
    expect(help).toContain('sop-pack-YYYY-MM.md');
    expect(help).not.toMatch(/(?<!-)pack\.md/);
  });
});
