import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ValidationError } from '../../errors/validation-error.js';

/** A file every checkout of this project has; it marks the repo root. */
export const ROOT_MARKER = 'src/workflows/define-workflow.ts';

/**
 * The repo root: `dir` itself when given (it must hold the project), otherwise the nearest
 * ancestor of `cwd` that does. Throws ValidationError (a usage error) when there is none.
 */
export function findRepoRoot(cwd: string, dir?: string): string {
  if (dir !== undefined) {
    const root = resolve(cwd, dir);
    if (!existsSync(join(root, ROOT_MARKER))) {
      throw new ValidationError(`--dir ${dir}: ${root} is not a DataOps Agent checkout (no ${ROOT_MARKER})`);
    }
    return root;
  }
  for (let d = resolve(cwd); ; d = dirname(d)) {
    if (existsSync(join(d, ROOT_MARKER))) return d;
    if (dirname(d) === d) break;
  }
  throw new ValidationError(`no DataOps Agent checkout at or above ${cwd} (looked for ${ROOT_MARKER}); run inside the repo or pass --dir`);
}
