/**
 * The workflow dev kit (`dataops-agent/workflows`): what a workflow written in another repository
 * needs. Define workflows with `defineWorkflow` and `param`, store large outputs with `withArtifacts`,
 * and hand them to a registry (with the built-ins or without) that the producer and the workers share.
 */
export {
  WORKFLOW_NAME,
  artifactParam,
  defineWorkflow,
  param,
  type NodeContext,
  type NodeDefinition,
  type NodeFn,
  type NodeState,
  type Workflow,
  type WorkflowOptions,
} from './define-workflow.js';
export { WorkflowRegistry, inputJsonSchema, type Capability, type ChainDefinition } from './registry.js';
export { withArtifacts, type WithArtifactsOptions } from './with-artifacts.js';
export { registerBuiltins } from './builtin/index.js';
export type { StepSpec } from '../planning/run-spec.js';
