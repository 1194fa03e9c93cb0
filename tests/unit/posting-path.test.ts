/**
 * One posting path (docs/architecture.md, "Exactly once"): channel posts go through
 * src/slack/post-ledger.ts, and only the ledger and its queries touch the slack_posts table.
 * The few direct calls left have no ledger key: private answers to the person who acted (a DM
 * fallback for an ephemeral), and the files `/sop pack md` and `/sop decisions md|csv` upload
 * into the channel where they were asked for. They are listed here.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, sources } from '../helpers/sources.js';

const FILES = ['src', 'commands', 'jobs', 'db']
  .flatMap((d) => sources(d))
  .filter((f) => !f.startsWith(join('src', 'slack-standin')) && !f.includes('migrations'));

const uses = (re: RegExp) =>
  FILES.filter((f) => re.test(readFileSync(join(ROOT, f), 'utf8'))).map((f) =>
    relative('.', f).split('\\').join('/'),
  );

describe('one posting path', () => {
  it('only the ledger and its queries touch slack_posts', () => {
    // `slack_posts as p` counts too. chart-fingerprints.ts is the ledger's claim of a picture's
    // content, which reads the thread's latest picture from the ledger's rows.
    expect(
      uses(/slack_posts'|slack_posts as |recordPost\(|getPost\(|postsWithPrefix\(/).sort(),
    ).toEqual(
      [
        'db/queries/slack-posts.ts',
        'db/queries/chart-fingerprints.ts',
        'src/slack/post-ledger.ts',
      ].sort(),
    );
  });

  it('posts and uploads go through post-ledger.ts, except private answers to the actor', () => {
    expect(
      uses(/chat\.postMessage\(|filesUploadV2\(|files\.completeUploadExternal\(/).sort(),
    ).toEqual(
      [
        'commands/forecast.ts',
        'src/slack/change-flow.ts',
        'src/slack/invoking-channel.ts',
        'src/slack/post-ledger.ts',
        'src/slack/reply.ts',
      ].sort(),
    );
  });
});
