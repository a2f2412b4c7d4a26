// Maintained by `dataops-workflow new`: one import and one register call per custom workflow,
// sorted by workflow name. Keep this exact form; the CLI refuses to rewrite a file it cannot read back.
import type { WorkflowRegistry } from '../registry.js';
{{imports}}
/** Registers every custom workflow (made with `dataops-workflow new`), in name order. */
export function registerCustom(registry: WorkflowRegistry): WorkflowRegistry {
{{registrations}}  return registry;
}
