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

/** `userId:key,userId:key` → [{ userId, key }]. */
export const apiKeyList = z
  .string()
  .trim()
  .default('')
  .transform((raw, ctx) => {
    const out: { userId: string; key: string }[] = [];
    for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
      const idx = part.indexOf(':');
      if (idx <= 0 || idx === part.length - 1) {
        ctx.addIssue({ code: 'custom', message: 'each entry must be userId:key (the key is not shown)' });
        return z.NEVER;
      }
      out.push({ userId: part.slice(0, idx), key: part.slice(idx + 1) });
    }
    return out;
  });

/** `a,b,c` → ['a', 'b', 'c'] (trimmed, empty entries dropped). */
export const csvList = z
  .string()
  .trim()
  .default('')
  .transform((raw) => raw.split(',').map((p) => p.trim()).filter(Boolean));

/** A queue name: lowercase letters, digits and `-` (BullMQ forbids `:`). */
export const QUEUE_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/** `a=x,b=y` → [[a, x], [b, y]], each side checked by `key` and `value`. */
export const pairList = <T>(what: string, key: RegExp, value: (raw: string) => T | undefined) =>
  z
    .string()
    .trim()
    .default('')
    .transform((raw, ctx) => {
      const out: [string, T][] = [];
      for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
        const idx = part.indexOf('=');
        const k = part.slice(0, idx).trim();
        const v = idx > 0 ? value(part.slice(idx + 1).trim()) : undefined;
        if (idx <= 0 || !key.test(k) || v === undefined) {
          ctx.addIssue({ code: 'custom', message: `"${part}" is not ${what}` });
          return z.NEVER;
        }
        out.push([k, v]);
      }
      return out;
    });

/** `host:port,host:port` → [{ host, port }]. */
export const hostPortList = z
  .string()
  .trim()
  .default('')
  .transform((raw, ctx) => {
    const out: { host: string; port: number }[] = [];
    for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
      const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/.exec(part);
      const port = Number(m?.[2]);
      if (!m || port < 1 || port > 65535) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not host:port` });
        return z.NEVER;
      }
      out.push({ host: m[1]!.replace(/^\[|\]$/g, ''), port });
    }
    return out;
  });

/** A cron pattern of 5 or 6 fields. */
export const cron = z.string().trim().regex(/^\S+( \S+){4,5}$/, 'expected a cron pattern with 5 or 6 fields');
