/** The local Slack stand-in: a Web API server and a driver that plays Slack towards the bot. */
export type { ApiAnswer } from './api.js';
export { manifestSlashCommands, slackCommandText } from './command-text.js';
export {
  ACK_DEADLINE_MS,
  type AckFailure,
  type AckResult,
  type CommandResult,
  createDriver,
  type Driver,
  type DriverOptions,
  type SendOptions,
  type SentRequest,
  type SuggestResult,
  type UserAction,
  type ViewSubmitResult,
} from './driver.js';
export { manifestBotEvents, subscriptionFor } from './events.js';
export {
  LIMITS,
  type Surface,
  type Violation,
  validateBlocks,
  validateOptionsResponse,
  validateView,
} from './rules.js';
export { type Standin, type StandinOptions, startStandin } from './server.js';
export { signSlackRequest, slackSignatureHeaders } from './signing.js';
export { type SocketAck, SocketModeHub } from './socket-mode.js';
export type { GivenValues, InputValue } from './state-values.js';
export { DEFAULT_CHANNELS, DEFAULT_IDENTITY, DEFAULT_USERS, type Identity } from './store.js';
export type * from './types.js';
export type { ViewOutcome } from './view-lifecycle.js';
