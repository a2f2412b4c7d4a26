import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConflictError } from '../../errors/conflict-error.js';
import { ValidationError } from '../../errors/validation-error.js';
import { DEFAULT_NODE_QUEUE, nodeQueueProblem } from '../../workflows/define-workflow.js';
import { addCustomEntry, parseCustomIndex, renderCustomIndex } from './custom-index.js';
import type { RegistryLoader } from './load-registry.js';
import { CUSTOM_INDEX_FILE, parseWorkflowName, type WorkflowNaming } from './names.js';
import { checkDescription, defaultDescription, renderWorkflowFiles } from './scaffold.js';
import { writeAllOrNothing, type FileWrite } from './write-files.js';

export interface NewWorkflowOptions {
  /** Repo root (see findRepoRoot). */
  root: string;
  /** What the user typed: `action` or `area.action`. */
  name: string;
  /** Default: a sentence saying what the template does. */
  description?: string;
  /** The queue its nodes run on (`--queue`). Default `nodes`. */
  queue?: string;
  /** Builds the checkout's registry, to refuse names already registered. */
  loadRegistry: RegistryLoader;
}

export interface NewWorkflowResult {
  naming: WorkflowNaming;
  /** Repo-relative paths written, the index last. */
  written: string[];
  /** The queue its nodes run on. */
  queue: string;
}

/**
 * Scaffolds a workflow: its module, unit test and docs page, and its registration in the custom
 * index. Every check runs before the first write (bad name or description: ValidationError; a file
 * that exists, a name already registered, a hand-edited index: ConflictError), and the writes are
 * all-or-nothing.
 */
export async function createWorkflow(options: NewWorkflowOptions): Promise<NewWorkflowResult> {
  const naming = parseWorkflowName(options.name);
  const description = options.description === undefined ? defaultDescription(naming) : checkDescription(options.description);
  const { root } = options;

  const queue = options.queue ?? DEFAULT_NODE_QUEUE;
  const queueProblem = nodeQueueProblem(queue);
  if (queueProblem) throw new ValidationError(`--queue: ${queueProblem}`);
  const files = renderWorkflowFiles(naming, description, queue);
  const existing = files.filter((f) => existsSync(join(root, f.path))).map((f) => f.path);
  if (existing.length > 0) {
    throw new ConflictError(`workflow "${naming.name}" would overwrite ${existing.join(', ')}; remove them or choose another name`);
  }

  const indexPath = join(root, CUSTOM_INDEX_FILE);
  const indexText = await readFile(indexPath, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  const entries = indexText === undefined ? [] : parseCustomIndex(indexText, CUSTOM_INDEX_FILE);
  const nextEntries = addCustomEntry(entries, { name: naming.name, identifier: naming.identifier });

  const registry = await options.loadRegistry(root);
  if (registry.has(naming.name) || registry.getChain(naming.name)) {
    throw new ConflictError(`a workflow or chain named "${naming.name}" is already registered; choose another name`);
  }

  const writes: FileWrite[] = [
    ...files.map((f) => ({ ...f, mode: 'create' as const })),
    indexText === undefined
      ? { path: CUSTOM_INDEX_FILE, content: renderCustomIndex(nextEntries), mode: 'create' }
      : { path: CUSTOM_INDEX_FILE, content: renderCustomIndex(nextEntries), mode: 'replace', expected: indexText },
  ];
  await writeAllOrNothing(root, writes);
  return { naming, written: writes.map((w) => w.path), queue };
}
