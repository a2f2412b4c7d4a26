import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Logger } from '../src/logger.js';
import type { Principal } from './auth.js';
import type { RouteClass } from './rate-limit.js';
import type { ApiRuntime } from './runtime-port.js';

/** One documented response of a route. */
export interface ResponseDef {
  description: string;
  /** JSON body schema (documentation only). */
  schema?: z.ZodType;
  /** Non-JSON body: its media type (e.g. `application/octet-stream`). */
  mediaType?: string;
}

/** What a handler receives: validated inputs, the caller, the runtime. */
export interface RouteContext<P, Q, B> {
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  rt: ApiRuntime;
  log: Logger;
}

/** A handler returns the status and JSON body, or `undefined` when it wrote the response itself. */
export type RouteResult = { status: number; body?: unknown; headers?: Record<string, string> } | undefined;

/**
 * One REST route: the single source of its validation, rate class, handler and OpenAPI entry.
 * `body: undefined` means no body is accepted (an empty JSON object is tolerated); `upload` routes
 * read the raw request stream themselves.
 */
export interface RouteDef<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express path, e.g. `/v1/sessions/:id`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  rateClass: RouteClass;
  params?: P;
  query?: Q;
  body?: B;
  /** The route streams the request body itself (artifact upload). */
  upload?: { mediaTypes: string[]; description: string };
  responses: Record<number, ResponseDef>;
  /**
   * Error statuses this route really returns, besides the ones every authenticated route can
   * (400, 401, 413, 429, 503). Default `[404]` for routes with path parameters, else none.
   */
  errors?: number[];
  handler(ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<RouteResult>;
}

/** Identity helper that infers the handler's input types from the schemas. */
export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(def: RouteDef<P, Q, B>): RouteDef {
  return def as unknown as RouteDef;
}
