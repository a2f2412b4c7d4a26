import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ValidationError } from '../errors/validation-error.js';

const why = (err: NodeJS.ErrnoException): string =>
  err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied' : (err.code ?? err.message);

/**
 * Checks that `path` is a regular file this process can read and returns its size. Otherwise a
 * ValidationError `cannot read <what> <path>: <why>` (no such file, it is a directory, permission
 * denied…), before anything is sent or stored.
 */
export async function readableFileSize(path: string, what = 'attachment'): Promise<number> {
  const fail = (reason: string, cause?: unknown) => new ValidationError(`cannot read ${what} ${path}: ${reason}`, cause === undefined ? undefined : { cause });
  const s = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw fail(why(err), err);
  });
  if (s.isDirectory()) throw fail('it is a directory, not a file');
  if (!s.isFile()) throw fail('not a regular file');
  // open it now, so an unreadable file fails here with its reason rather than mid-request
  await new Promise<void>((resolve, reject) => {
    const probe = createReadStream(path, { start: 0, end: 0 });
    probe.once('error', (err: NodeJS.ErrnoException) => reject(fail(why(err), err)));
    probe.once('open', () => {
      probe.destroy();
      resolve();
    });
  });
  return s.size;
}
