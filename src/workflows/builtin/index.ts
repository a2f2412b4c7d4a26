import type { WorkflowRegistry } from '../registry.js';

/** Registers every built-in workflow and chain. */
export function registerBuiltins(registry: WorkflowRegistry): WorkflowRegistry {
  return registry;
}
