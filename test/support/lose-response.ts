import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Fault injection for the AWS SDK: a middleware that lets a matching request reach the server (so it
 * is applied) and then throws a transient network error instead of returning the response, which
 * makes the SDK's retry strategy send the same request again — a "lost response".
 */
export interface LoseResponse {
  /** Loses the response of the next `times` requests for which `match(input)` is true. */
  arm(match: (input: Record<string, unknown>) => boolean, times?: number): void;
  /** How many responses were lost so far. */
  readonly lost: number;
  /** Takes the middleware off the client. */
  remove(): void;
}

export function loseResponses(client: DynamoDBDocumentClient, name = 'test-lose-response'): LoseResponse {
  let match: ((input: Record<string, unknown>) => boolean) | null = null;
  let left = 0;
  let lost = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const input = (args as { input?: Record<string, unknown> }).input ?? {};
      if (match && left > 0 && match(input)) {
        left--;
        lost++;
        throw Object.assign(new Error('socket hang up after the request was applied (injected)'), { name: 'TimeoutError', $metadata: {} });
      }
      return out;
    },
    { step: 'deserialize', name },
  );
  return {
    arm(m, times = 1) {
      match = m;
      left = times;
    },
    get lost() {
      return lost;
    },
    remove() {
      client.middlewareStack.remove(name);
    },
  };
}
