export { ContextManager, type ContextManagerOptions, type CompressContextOptions } from './context-manager.js';
export { type PromptSummary, type PromptSummaryOptions, promptContextKey } from './prompt-context.js';
export { ContextSnapshot, OrchestratorState, StoredSnapshot, LoadStrategy, DumpOptions, LoadOptions, InheritOptions } from './context-snapshot.js';
export { Checkpoint, CheckpointLabel, CheckpointOptions } from './checkpoint.js';
export { deepMerge, copyKeys, pickKeys, applyStrategy } from './merge.js';
export { SNAPSHOT_TAG } from './snapshot-codec.js';
