/** auth.test, conversations.open / info, users.info. */
import { type ApiMethod, fail, missing, ok } from './api.js';
import { str } from './json.js';
import type { StandinStore } from './store.js';
import type { ChannelRecord } from './types.js';

function channelPayload(store: StandinStore, c: ChannelRecord) {
  return {
    id: c.id,
    name: c.name,
    created: c.created,
    is_channel: !c.is_im && !c.is_private,
    is_group: false,
    is_im: c.is_im,
    is_private: c.is_private,
    is_member: true,
    is_archived: false,
    ...(c.user ? { user: c.user } : {}),
    context_team_id: store.identity.teamId,
  };
}

const authTest: ApiMethod = ({ store, baseUrl }) =>
  ok({
    url: `${baseUrl}/`,
    team: store.identity.teamDomain,
    user: 'sopbot',
    team_id: store.identity.teamId,
    user_id: store.identity.botUserId,
    bot_id: store.identity.botId,
    is_enterprise_install: false,
  });

const conversationsOpen: ApiMethod = ({ args, store }) => {
  const channelId = str(args, 'channel');
  if (channelId !== undefined) {
    const c = store.channels.get(channelId);
    return c ? ok({ channel: { id: c.id } }) : fail('channel_not_found');
  }
  const users = (str(args, 'users') ?? '').split(',').filter((u) => u !== '');
  if (users.length === 0) return fail('users_list_not_supplied');
  if (users.length > 8) return fail('too_many_users');
  const unknown = users.find((u) => !store.users.has(u));
  if (unknown !== undefined) return fail('user_not_found');
  if (users.length > 1)
    return fail('invalid_arguments', ['[ERROR] group DMs are not supported by the stand-in']);
  const dm = store.openDm(users[0]!);
  return ok({ channel: { id: dm.id } });
};

const conversationsInfo: ApiMethod = ({ args, store }) => {
  const ref = str(args, 'channel');
  if (ref === undefined) return missing('channel');
  const c = store.channels.get(ref);
  return c ? ok({ channel: channelPayload(store, c) }) : fail('channel_not_found');
};

const usersInfo: ApiMethod = ({ args, store }) => {
  const id = str(args, 'user');
  if (id === undefined) return missing('user');
  const u = store.users.get(id);
  if (!u) return fail('user_not_found');
  return ok({
    user: {
      id: u.id,
      team_id: store.identity.teamId,
      name: u.name,
      real_name: u.real_name,
      tz: u.tz,
      is_bot: u.is_bot ?? false,
      deleted: u.deleted ?? false,
      profile: { real_name: u.real_name, display_name: u.name },
    },
  });
};

export const directoryMethods: Readonly<Record<string, ApiMethod>> = {
  'auth.test': authTest,
  'conversations.open': conversationsOpen,
  'conversations.info': conversationsInfo,
  'users.info': usersInfo,
};
