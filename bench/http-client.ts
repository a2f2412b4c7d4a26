import { Agent, request } from 'node:http';

/**
 * A lean JSON client for the benches that drive the API from the measured process: `node:http`
 * with kept-alive sockets. `fetch` (undici with web streams) costs the process about 3 ms of CPU
 * per request here, which is the load generator's cost, not the API's.
 */
export class BenchHttp {
  private readonly agent: Agent;

  /** `sockets`: kept-alive connections at most (one per lane is enough). */
  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string>,
    sockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  /** Sends `body` (JSON) with `method` to `path`; the status and the parsed JSON answer. */
  send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.baseUrl}${path}`,
        { method, agent: this.agent, headers: { ...this.headers, ...(payload ? { 'content-length': Buffer.byteLength(payload) } : {}) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as unknown) : null });
            } catch {
              reject(new Error(`${method} ${path} answered ${res.statusCode} with a body that is not JSON: ${text.slice(0, 200)}`));
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
