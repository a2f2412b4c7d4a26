import { mkdir } from 'node:fs/promises';
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
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
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
  return {
    endpoint: `http://127.0.0.1:${info.port}`,
    close: async () => {
      server.httpServer?.closeAllConnections?.();
      await server.close();
    },
  };
}
