import { createServer } from 'node:net';
import { ConfigError } from '../src/errors/config-error.js';

/** The error `npm start` prints when the API port is taken: which port, and how to pick another. */
export function portInUseError(host: string, port: number): ConfigError {
  return new ConfigError(
    `Port ${port} on ${host} is already in use (another DataOps Agent, or some other server). ` +
      `Stop it, or pick another port: PORT=${port === 65535 ? port - 1 : port + 1} npm start`,
  );
}

/**
 * Fails fast, before anything touches Redis or storage, when the API could not listen on
 * `host:port` (port 0 always passes). The real listen still reports a port taken in between.
 */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(portInUseError(host, port));
      else if (err.code === 'EACCES') reject(new ConfigError(`Not allowed to listen on port ${port} (${host}): pick a port above 1023 with PORT=…`));
      else reject(err);
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
