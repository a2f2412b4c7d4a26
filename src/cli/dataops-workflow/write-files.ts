import { mkdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../../errors/app-error.js';
import { ConflictError } from '../../errors/conflict-error.js';

/** One file to write under a root. */
export interface FileWrite {
  /** Relative to the root, with `/`. */
  path: string;
  content: string;
  /** `create` fails if the file exists (exclusive create); `replace` swaps an existing file atomically. */
  mode: 'create' | 'replace';
  /**
   * For `replace`: the content the file must still have (what the caller read and based `content`
   * on); if someone changed it meanwhile, the write fails with a ConflictError instead of losing
   * their change. Default: not checked.
   */
  expected?: string;
}

/**
 * Writes every file in order, or none: if one write fails, the files already written are removed
 * (or, for `replace`, given back their old content) and the directories this call made are removed
 * again, then the error is rethrown (a ConflictError as is, anything else as an AppError
 * `write_failed` naming the file).
 */
export async function writeAllOrNothing(root: string, files: readonly FileWrite[]): Promise<void> {
  const undo: (() => Promise<void>)[] = [];
  try {
    for (const f of files) {
      const abs = join(root, f.path);
      const made = await mkdir(dirname(abs), { recursive: true });
      if (made) undo.push(() => removeEmptyDirs(made, dirname(abs)));
      if (f.mode === 'create') {
        await writeFile(abs, f.content, { encoding: 'utf8', flag: 'wx' }).catch((e: unknown) => {
          throw new AppError('write_failed', `cannot create ${f.path}: ${(e as Error).message}`, { cause: e });
        });
        undo.push(() => rm(abs, { force: true }));
      } else {
        const before = await readFile(abs, 'utf8').catch(() => undefined);
        if (f.expected !== undefined && before !== f.expected) {
          throw new ConflictError(`${f.path} changed while this command ran (another dataops-workflow new?); nothing was written, run it again`);
        }
        const tmp = `${abs}.${process.pid}.tmp`;
        try {
          await writeFile(tmp, f.content, { encoding: 'utf8', flag: 'wx' });
          await rename(tmp, abs);
        } catch (e) {
          await rm(tmp, { force: true });
          throw new AppError('write_failed', `cannot write ${f.path}: ${(e as Error).message}`, { cause: e });
        }
        undo.push(() => (before === undefined ? rm(abs, { force: true }) : writeFile(abs, before, 'utf8')));
      }
    }
  } catch (e) {
    for (const u of undo.reverse()) await u().catch(() => undefined);
    if (e instanceof AppError) throw e;
    throw new AppError('write_failed', `cannot write the new files: ${(e as Error).message}`, { cause: e });
  }
}

/** Removes `deepest` and its parents up to and including `top` (the first directory mkdir made), if empty. */
async function removeEmptyDirs(top: string, deepest: string): Promise<void> {
  for (let d = deepest; ; d = dirname(d)) {
    await rmdir(d).catch(() => undefined);
    if (d === top || dirname(d) === d || !d.startsWith(top)) return;
  }
}
