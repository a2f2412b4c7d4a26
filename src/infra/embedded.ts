import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { addMultipartOperations } from './s3rver-multipart.js';

/** A running embedded server: its endpoint URL and how to stop it. */
export interface EmbeddedServer {
  endpoint: string;
  close(): Promise<void>;
}

/** How long a closing embedded server waits for requests in flight before it drops their connections. */
const DRAIN_MS = 5000;

/**
 * Counts the server's requests in flight so that `drain()` can wait for them: closing a connection
 * under a request that is half-way through (an UpdateItem between its read and its write) would let
 * dynalite close its database under that write, which it reports as an uncaught "Database is closed".
 * Call `drain()` once the server has stopped accepting (`server.close()`, which also closes the idle
 * connections): it waits up to DRAIN_MS for the requests in flight to answer, closing each connection
 * as it goes idle, then drops whatever is left.
 */
function drainable(server: Server): { drain(): Promise<void> } {
  let inFlight = 0;
  let idle: (() => void) | undefined;
  server.on('request', (_req, res) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (idle) {
        server.closeIdleConnections();
        if (inFlight === 0) idle();
      }
    });
  });
  return {
    drain: async () => {
      if (inFlight > 0) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((ok) => {
          idle = ok;
          timer = setTimeout(ok, DRAIN_MS);
          timer.unref();
        });
        clearTimeout(timer);
      }
      server.closeAllConnections();
    },
  };
}

export interface EmbeddedOptions {
  /** Directory for persistent data; omit for in-memory (dynalite) / a temp dir (s3rver). */
  dataDir?: string;
  /** Port to bind on 127.0.0.1. Default 0 (a free port). */
  port?: number;
}

/** Starts dynalite (the DynamoDB wire protocol) in this process on loopback. */
export async function startEmbeddedDynamo(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  let path: string | undefined;
  if (options.dataDir) {
    path = resolve(options.dataDir, 'dynamodb');
    await mkdir(path, { recursive: true });
  }
  const server = dynalite({ ...(path ? { path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  const { drain } = drainable(server);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      // dynalite's close() stops listening, waits for the connections to end, then closes its database
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      await drain();
      await closed;
    },
  };
}

/**
 * Starts s3rver (the S3 wire protocol) in this process on loopback, storing under `dataDir/s3`, with
 * AbortMultipartUpload and ListMultipartUploads added (src/infra/s3rver-multipart.ts).
 */
export async function startEmbeddedS3(options: EmbeddedOptions & { dataDir: string }): Promise<EmbeddedServer> {
  const directory = join(resolve(options.dataDir), 's3');
  await mkdir(directory, { recursive: true });
  const server = new S3rver({ address: '127.0.0.1', port: options.port ?? 0, silent: true, directory, allowMismatchedSignatures: true });
  addMultipartOperations(server);
  const info = await server.run();
  const http = server.httpServer;
  const drain = http ? drainable(http).drain : async () => undefined;
  return {
    endpoint: `http://127.0.0.1:${info.port}`,
    close: async () => {
      const closed = server.close();
      await drain();
      await closed;
    },
  };
}
