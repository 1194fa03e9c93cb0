/**
 * Message metadata (`metadata` on chat.postMessage and chat.update): an object with an
 * `event_type` and an `event_payload` object. Not an object (or JSON that does not parse) →
 * invalid_metadata_format; a missing or mistyped field → invalid_metadata_schema. Slack
 * describes event_type as an alphanumeric, human-readable name and its examples are snake_case
 * (`task_created`); the stand-in holds the bot to that form (letters, digits, underscores).
 */
import { type ApiAnswer, fail } from './api.js';
import { isObject, type JsonObject } from './json.js';

const EVENT_TYPE = /^[A-Za-z0-9_]+$/;

export interface MetadataArg {
  /** Undefined when the call gives none. */
  readonly metadata: JsonObject | undefined;
}

/** The metadata argument, checked: the value to store, or Slack's error answer. */
export function messageMetadata(args: JsonObject): MetadataArg | ApiAnswer {
  let value = args.metadata;
  if (value === undefined) return { metadata: undefined };
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return fail('invalid_metadata_format', ['[ERROR] metadata must be a JSON object']);
    }
  }
  if (!isObject(value))
    return fail('invalid_metadata_format', ['[ERROR] metadata must be a JSON object']);
  const type = value.event_type;
  if (typeof type !== 'string' || !EVENT_TYPE.test(type))
    return fail('invalid_metadata_schema', [
      '[ERROR] event_type must be an alphanumeric string (letters, digits, _) [json-pointer:/metadata/event_type]',
    ]);
  if (!isObject(value.event_payload))
    return fail('invalid_metadata_schema', [
      '[ERROR] event_payload must be an object [json-pointer:/metadata/event_payload]',
    ]);
  return { metadata: { event_type: type, event_payload: value.event_payload } };
}

export function isMetadataError(v: MetadataArg | ApiAnswer): v is ApiAnswer {
  return 'status' in v;
}
