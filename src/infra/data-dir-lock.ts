import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError } from '../errors/config-error.js';

/** A held lock on a data directory; `release()` removes it (idempotent). */
export interface DataDirLock {
  file: string;
  release(): Promise<void>;
}

/** True when a process with this pid exists (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dataDir>/storage.lock` (created exclusively, holding this process's pid) before embedded
 * storage opens the directory: dynalite's database cannot be shared by two processes, and a second
 * opener would crash later with "Database is closed". A lock left by a process that no longer
 * exists is taken over. Throws ConfigError naming the holder and what to do instead.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const file = join(resolve(dataDir), 'storage.lock');
  await mkdir(resolve(dataDir), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      let released = false;
      return {
        file,
        release: async () => {
          if (released) return;
          released = true;
          const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
          if (owner === process.pid) await rm(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      // (this very process counts too: two embedded storages in one process clash the same way)
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
        throw new ConfigError(
          `The data directory ${resolve(dataDir)} is in use by process ${holder} (its embedded storage). ` +
            'Run one storage process (`npm run storage`) and point the other processes at it with ' +
            'DYNAMODB_ENDPOINT and S3_ENDPOINT, or give each process its own DATAOPS_DATA_DIR.',
          { details: { dataDir: resolve(dataDir), pid: holder } },
        );
      }
      // stale (its process is gone) or unreadable: take it over
      await rm(file, { force: true });
    }
  }
  throw new ConfigError(`Could not lock the data directory ${resolve(dataDir)}`);
}
