/** Small readers for loosely typed JSON (Slack payloads are plain objects). */
export type JsonObject = { readonly [key: string]: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function obj(o: JsonObject, key: string): JsonObject | undefined {
  const v = o[key];
  return isObject(v) ? v : undefined;
}

export function arr(o: JsonObject, key: string): readonly unknown[] | undefined {
  const v = o[key];
  return Array.isArray(v) ? v : undefined;
}

/** Form bodies carry booleans as strings; JSON bodies carry real booleans. */
export function bool(o: JsonObject, key: string): boolean {
  const v = o[key];
  return v === true || v === 'true' || v === '1' || v === 1;
}
