/** Parsers of environment values (strings) the config schema is built from. */
import { z } from 'zod';

/** `"1"`, `"true"`, `"yes"`, `"on"` → true; `"0"`, `"false"`, `"no"`, `"off"` → false. */
export const boolish = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(v), 'expected true/false/1/0')
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

/** An integer in [min, max], coerced from the string. */
export const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
/** A trimmed string; empty means unset. */
export const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** The entries of a comma-separated value, trimmed, empty ones dropped. */
const entries = (raw: string) => raw.split(',').map((p) => p.trim()).filter(Boolean);

/**
 * A comma-separated list read entry by entry: `parse` gives an entry's value, or undefined to refuse
 * the whole value with `message(entry)`.
 */
const listOf = <T>(parse: (entry: string) => T | undefined, message: (entry: string) => string) =>
  z
    .string()
    .trim()
    .default('')
    .transform((raw, ctx) => {
      const out: T[] = [];
      for (const part of entries(raw)) {
        const v = parse(part);
        if (v === undefined) {
          ctx.addIssue({ code: 'custom', message: message(part) });
          return z.NEVER;
        }
        out.push(v);
      }
      return out;
    });

/** `userId:key,userId:key` → [{ userId, key }]. */
export const apiKeyList = listOf(
  (part) => {
    const idx = part.indexOf(':');
    return idx <= 0 || idx === part.length - 1 ? undefined : { userId: part.slice(0, idx), key: part.slice(idx + 1) };
  },
  // never the entry itself: it holds a key
  () => 'each entry must be userId:key (the key is not shown)',
);

/** `a,b,c` → ['a', 'b', 'c'] (trimmed, empty entries dropped). */
export const csvList = z.string().trim().default('').transform(entries);

/** A queue name: lowercase letters, digits and `-` (BullMQ forbids `:`). */
export const QUEUE_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/** `a=x,b=y` → [[a, x], [b, y]], each side checked by `key` and `value`. */
export const pairList = <T>(what: string, key: RegExp, value: (raw: string) => T | undefined) =>
  listOf(
    (part): [string, T] | undefined => {
      const idx = part.indexOf('=');
      const k = part.slice(0, idx).trim();
      const v = idx > 0 ? value(part.slice(idx + 1).trim()) : undefined;
      return idx <= 0 || !key.test(k) || v === undefined ? undefined : [k, v];
    },
    (part) => `"${part}" is not ${what}`,
  );

/** `host:port,host:port` → [{ host, port }]. */
export const hostPortList = listOf(
  (part) => {
    const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/.exec(part);
    const port = Number(m?.[2]);
    return !m || port < 1 || port > 65535 ? undefined : { host: m[1]!.replace(/^\[|\]$/g, ''), port };
  },
  (part) => `"${part}" is not host:port`,
);

/** A cron pattern of 5 or 6 fields. */
export const cron = z.string().trim().regex(/^\S+( \S+){4,5}$/, 'expected a cron pattern with 5 or 6 fields');
