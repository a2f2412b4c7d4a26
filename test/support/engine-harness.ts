import type { LlmClient } from '../../src/llm/llm.js';
import { createLogger } from '../../src/logger.js';
import type { JobStatus } from '../../src/client/producer-api.js';
import type { RunResult } from '../../src/runtime/job-data.js';
import type { StepSpec } from '../../src/planning/run-spec.js';
import { startWorkers, type RunningWorkers, type StartWorkersOptions } from '../../src/runtime/workers.js';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import type { WorkflowRegistry } from '../../src/workflows/registry.js';
import { testRegistry } from './test-workflows.js';
import { startTestServices, type TestServices } from './test-services.js';
import { waitForJob } from './wait-for-job.js';

export interface EngineHarness {
  t: TestServices;
  rt: Runtime;
  /** How many times `<workflow>.<node>` ran. */
  runs(name: string): Promise<number>;
  startWorkers(options?: StartWorkersOptions): Promise<RunningWorkers>;
  /** Enqueues a run spec for the session and waits for it; throws when the run failed. */
  runSpec(sessionId: string, spec: unknown, timeoutMs?: number): Promise<RunResult>;
  /** Polls a job until it is completed or failed (or the timeout passes). */
  waitForJob(jobId: string, timeoutMs?: number): Promise<JobStatus>;
  /** Enqueues the messages as user `userId` (default u1), all before waiting, then waits for each in order. */
  sendAll(sessionId: string, messages: string[], timeoutMs?: number, userId?: string): Promise<{ jobIds: string[]; statuses: JobStatus[] }>;
  cleanup(): Promise<void>;
}

/** Real Redis + embedded storage + the test workflows, with short locks so crash recovery is quick. */
export async function startEngineHarness(options: { registry?: WorkflowRegistry; env?: Record<string, string>; llm?: LlmClient } = {}): Promise<EngineHarness> {
  const t = await startTestServices({ DATAOPS_LOCK_DURATION_MS: '2000', DATAOPS_STALLED_INTERVAL_MS: '1000', DATAOPS_JOB_ATTEMPTS: '2', ...options.env });
  const { registry, redis } = testRegistry(t.config.redis, t.services.keyPrefix);
  const rt = await createRuntime(t.config, createLogger('silent'), { registry: options.registry ?? registry, services: t.services, ...(options.llm ? { llm: options.llm } : {}) });
  const running: RunningWorkers[] = [];
  return {
    t,
    rt,
    runs: async (name) => Number((await redis.get(`${t.services.keyPrefix}runs:${name}`)) ?? 0),
    startWorkers: async (o) => {
      const w = await startWorkers(rt, { schedule: false, ...o });
      running.push(w);
      return w;
    },
    waitForJob: (jobId, timeoutMs) => waitForJob(rt.producer, jobId, timeoutMs),
    sendAll: async (sessionId, messages, timeoutMs, userId = 'u1') => {
      const jobIds: string[] = [];
      for (const content of messages) jobIds.push((await rt.producer.enqueueMessage({ sessionId, userId, content, artifacts: [] })).jobId);
      const statuses: JobStatus[] = [];
      for (const id of jobIds) statuses.push(await waitForJob(rt.producer, id, timeoutMs));
      return { jobIds, statuses };
    },
    runSpec: async (sessionId, spec, timeoutMs = 60_000) => {
      const { userId } = await rt.sessions.get(sessionId);
      const { jobId } = await rt.producer.enqueueRun({ sessionId, userId, spec: spec as StepSpec });
      const status = await waitForJob(rt.producer, jobId, timeoutMs);
      if (status.error !== null) throw new Error(`run ${jobId} failed: ${status.error}`);
      return status.result as RunResult;
    },
    cleanup: async () => {
      // the jobs a test left running finish first (bounded), so none writes to a store being closed
      for (const w of running) await w.close(false, 3000).catch(() => undefined);
      await rt.close();
      redis.disconnect();
      await t.cleanup();
    },
  };
}
