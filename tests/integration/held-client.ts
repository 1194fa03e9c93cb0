/**
 * A Slack client, for the race tests, whose one Web API method waits until the test says:
 * `reached` resolves when the method is first called (the code under test has read what it
 * read by then), and the call goes on to the stand-in once `release()` is called. The test
 * holds a job or a reminder there while another change lands, so the interleaving is the same
 * every run.
 */
import type { WebClient } from '@slack/web-api';

export interface HeldClient {
  readonly client: WebClient;
  readonly reached: Promise<void>;
  readonly release: () => void;
}

type Group = 'chat' | 'views' | 'users';

/** `slack`, with `group.method` (say `chat`, `update`) held until `release()`. */
export function heldAt(slack: WebClient, group: Group, method: string): HeldClient {
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let arrived!: () => void;
  const reached = new Promise<void>((r) => {
    arrived = r;
  });
  const calls = slack[group] as unknown as Record<string, (args: unknown) => Promise<unknown>>;
  const call = calls[method];
  if (!call) throw new Error(`heldAt: the Web API has no ${group}.${method}`);
  const client = Object.create(slack) as WebClient;
  Object.defineProperty(client, group, {
    value: {
      ...calls,
      [method]: async (args: unknown) => {
        arrived();
        await gate;
        return call(args);
      },
    },
  });
  return { client, reached, release };
}
