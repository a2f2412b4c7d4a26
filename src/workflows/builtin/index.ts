import type { WorkflowRegistry } from '../registry.js';
import { registerCustom } from '../custom/index.js';

/** Registers every built-in workflow and chain. */
export function registerBuiltins(registry: WorkflowRegistry): WorkflowRegistry {
  registerCustom(registry);
  return registry;
}
