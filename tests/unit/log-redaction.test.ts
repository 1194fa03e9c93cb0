/** Debug logs carry no text of user messages (#19 item 12). */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { redactTyped, slackLogger } from '../../src/slack/slack-logger.js';

const SECRET = 'Acme is about to cancel, keep this quiet';

describe('bolt logs at debug', () => {
  it('redact typed values in JSON bodies and form bodies', () => {
    const json = JSON.stringify({
      view: { state: { values: { comment: { comment_input: { value: SECRET } } } } },
      text: SECRET,
    });
    expect(redactTyped(json)).not.toContain('Acme');
    expect(redactTyped(`token=x&text=${encodeURIComponent(SECRET)}&user_id=U1`)).toBe(
      'token=x&text=[redacted]&user_id=U1',
    );
  });

  it('never write the text of a message through the Bolt logger', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = slackLogger(pino({ level: 'debug' }, sink), 'bolt');
    log.debug('Received request', { body: { text: SECRET, user_id: 'U1' } });
    log.debug(`body: command=/forecast&text=${encodeURIComponent(SECRET)}`);
    expect(lines).toHaveLength(2);
    expect(lines.join('')).not.toContain('Acme');
    expect(lines.join('')).toContain('U1');
  });
});
