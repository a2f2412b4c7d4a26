import type { WorkflowRegistry } from '../registry.js';
import { registerCustom } from '../custom/index.js';
import { registerCsv } from './csv/index.js';
import { registerJil } from './jil/index.js';

/** Registers every built-in workflow and chain, then the project's own (src/workflows/custom). */
export function registerBuiltins(registry: WorkflowRegistry): WorkflowRegistry {
  registerJil(registry);
  registerCsv(registry);
  registerCustom(registry);
  return registry;
}
