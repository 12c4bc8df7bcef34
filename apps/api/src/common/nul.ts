/**
 * PostgreSQL text and jsonb cannot hold U+0000 (NUL): a value with one fails the statement, and a message that
 * cannot be stored would be refused, or retried, forever. Text that comes into the API (JSON bodies, parsed
 * email) reads NUL as U+FFFD, the replacement character, as HTML parsers do.
 */
const NUL = '\u0000';
const REPLACEMENT = '\uFFFD';

/** A JSON.parse reviver: strings without NUL. */
export function nulFreeReviver(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? value.replaceAll(NUL, REPLACEMENT) : value;
}

/** The same plain data (objects, arrays, strings) without NUL in any string; binary content is left as it is. */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll(NUL, REPLACEMENT) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => withoutNul(item)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutNul(item)])) as T;
  }
  return value;
}
