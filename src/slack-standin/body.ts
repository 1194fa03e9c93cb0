/** Reads Web API request bodies: JSON, form-encoded (JSON-valued fields decoded) or multipart. */
import type { IncomingMessage } from 'node:http';
import { isObject, type JsonObject } from './json.js';

/** Fields that WebClient sends as JSON strings inside form bodies. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'files', 'metadata']);

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export class BodyError extends Error {}

/** Parses a Web API body; JSON-valued form fields that do not parse stay strings. */
export function parseApiBody(contentType: string, raw: Buffer, query: URLSearchParams): JsonObject {
  const out: Record<string, unknown> = Object.fromEntries(query);
  if (raw.length === 0) return out;
  if (contentType.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      throw new BodyError(`body is not valid JSON: ${(err as Error).message}`);
    }
    if (!isObject(parsed)) throw new BodyError('JSON body must be an object');
    return { ...out, ...parsed };
  }
  for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) {
    out[key] = JSON_FIELDS.has(key) ? tryJson(value) : value;
  }
  return out;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** The bytes of an upload: the first file part of a multipart body, or the raw body. */
export async function uploadBytes(contentType: string, raw: Buffer): Promise<Buffer> {
  if (!contentType.includes('multipart/form-data')) return raw;
  const form = await new Request('http://standin.local/upload', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: raw,
  }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  const first = form.values().next().value;
  return Buffer.from(typeof first === 'string' ? first : '');
}
