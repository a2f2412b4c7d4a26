import type { Runtime } from '../src/runtime/create-runtime.js';

/**
 * What the API uses of the runtime (`createRuntime` in src/runtime/create-runtime.ts): the stores, the context
 * manager and the producer. The API never runs workflows, so workers' parts are left out.
 */
export type ApiRuntime = Pick<Runtime, 'config' | 'services' | 'sessions' | 'artifacts' | 'context' | 'producer'>;

