import type { Runtime } from '../src/runtime.js';

/**
 * What the API uses of the runtime (`createRuntime` in src/runtime.ts): the stores, the context
 * manager and the engine. The API never runs workflows, so workers' parts are left out.
 */
export type ApiRuntime = Pick<Runtime, 'config' | 'services' | 'sessions' | 'artifacts' | 'context' | 'engine'>;

