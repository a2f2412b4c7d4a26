import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../errors/app-error.js';
import type { WorkflowRegistry } from '../../workflows/registry.js';

type RegistryModule = typeof import('../../workflows/registry.js');
type BuiltinsModule = typeof import('../../workflows/builtin/index.js');

/** Builds the registry of the checkout at `root`. */
export type RegistryLoader = (root: string) => Promise<WorkflowRegistry>;

/**
 * The real registry of the checkout at `root`: `registerBuiltins(new WorkflowRegistry())`, imported
 * from that checkout's sources (so `--dir` sees its workflows, not this copy's). Needs a TypeScript
 * loader (the bin shim registers tsx). A failure is an AppError (`registry_load_failed`) with the cause.
 */
export const loadRegistry: RegistryLoader = async (root) => {
  try {
    const registry = (await import(pathToFileURL(join(root, 'src/workflows/registry.ts')).href)) as RegistryModule;
    const builtins = (await import(pathToFileURL(join(root, 'src/workflows/builtin/index.ts')).href)) as BuiltinsModule;
    return builtins.registerBuiltins(new registry.WorkflowRegistry());
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new AppError('registry_load_failed', `cannot build the workflow registry of ${root}: ${msg}`, { cause: e });
  }
};
