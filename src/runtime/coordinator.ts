import { UnrecoverableError, WaitingChildrenError, type Job } from 'bullmq';
import type { RedisClient } from '../infra/redis.js';
import type { Config } from '../config.js';
import type { WorkflowRegistry } from '../workflows/registry.js';
import { publishSessionEvent } from './events.js';
import { CoordinatorJobData, stepJobId, type NodeJobDataInput, type NodeResult } from './job-data.js';
import { mergeResults, readPath, resolveParams, testCondition } from './merge-results.js';
import { childResults } from './node-runner.js';
import { JOIN_WORKFLOW, compactStep, type PlanStep } from '../planning/plan.js';
import { nodeJobOptions, type Queues } from './queues.js';
import { CANCELLED_MESSAGE, isCancelled } from './cancel.js';

export interface CoordinatorDeps {
  registry: WorkflowRegistry;
  /** Where the ready steps go: each to its node queue, in the coordinator's own partition. */
  queues: Queues;
  redis: RedisClient;
  keyPrefix: string;
  workers: Config['workers'];
}

/**
 * The processor of the `flows` queue. Each time it runs it reads its children's results, decides
 * which steps are skipped (conditions, `when`, all-skipped dependencies) and which are ready, adds
 * the ready ones as children (deterministic job ids: a re-run after a crash adds nothing twice),
 * and moves itself to waiting-children. All state is in Redis: the children and `job.data.skipped`.
 */
export function createCoordinatorProcessor(deps: CoordinatorDeps) {
  return async (job: Job, token?: string): Promise<NodeResult> => {
    const parsed = CoordinatorJobData.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid coordinator job data: ${parsed.error.message}`);
    const d = parsed.data;
    const steps = d.plan.steps;
    for (;;) {
      if (await isCancelled(deps.redis, deps.keyPrefix, d.runId)) throw new UnrecoverableError(CANCELLED_MESSAGE);
      const { results, failed } = await childResults(job);
      const done = new Map<string, NodeResult>(results.map((r) => [r.step, r]));
      const failedSteps = new Map(failed.map((f) => [f.step, f.error]));
      const skipped = new Set(d.skipped);
      const settled = (id: string) => done.has(id) || failedSteps.has(id) || skipped.has(id);
      const newlySkipped: { step: string; reason: string }[] = [];
      const ready: PlanStep[] = [];
      let changed = true;
      while (changed) {
        changed = false;
        for (const s of steps) {
          if (settled(s.id) || ready.includes(s) || !s.dependsOn.every(settled)) continue;
          const reason = skipReason(s, done, skipped, deps.registry);
          if (reason) {
            skipped.add(s.id);
            newlySkipped.push({ step: s.id, reason });
            changed = true;
          } else {
            ready.push(s);
          }
        }
      }
      if (newlySkipped.length) {
        d.skipped = [...skipped];
        await job.updateData(d);
        for (const n of newlySkipped) {
          await publishSessionEvent(deps.redis, deps.keyPrefix, d.sessionId, { type: 'node.skipped', runId: d.runId, ...n });
        }
      }
      if (steps.every((s) => settled(s.id))) {
        const sinks = d.plan.sinks.map((id) => done.get(id)).filter((r): r is NodeResult => Boolean(r));
        const merged = mergeResults([...sinks, ...done.values()], [...failedSteps].map(([step, error]) => ({ step, error })), [...skipped]);
        // Shaped like a node's result so a parent (the orchestrator) reads trees and coordinators alike.
        const result: NodeResult = { step: 'run', instance: JOIN_WORKFLOW, workflow: JOIN_WORKFLOW, node: 'coordinator', artifacts: [], ...merged, state: mergeResults(sinks).state };
        return result;
      }
      const existing = await existingChildren(job);
      const toAdd = ready.filter((s) => !existing.has(stepJobId(d.runId, s.id)));
      if (toAdd.length) {
        const set = deps.queues.byQualifiedName(job.queueQualifiedName);
        if (!set) throw new UnrecoverableError(`coordinator job ${job.id} is on ${job.queueQualifiedName}, which is no partition of this process's queues`);
        const jobs = toAdd.map((s) => {
          const inputs = Object.fromEntries(s.dependsOn.filter((x) => done.has(x)).map((x) => [x, done.get(x)!]));
          const data: NodeJobDataInput = {
            runId: d.runId,
            sessionId: d.sessionId,
            userId: d.userId,
            step: compactStep(s),
            ...(Object.keys(inputs).length ? { inputs } : {}),
            ...(skipped.size ? { skipped: [...skipped] } : {}),
          };
          return {
            queue: deps.queues.routing.queueOf(s.workflow),
            name: s.id,
            data,
            opts: { ...nodeJobOptions(deps.workers, s, stepJobId(d.runId, s.id)), parent: { id: job.id!, queue: job.queueQualifiedName } },
          };
        });
        for (const name of new Set(jobs.map((j) => j.queue))) {
          await set.node(name).addBulk(jobs.filter((j) => j.queue === name).map(({ queue: _queue, ...j }) => j));
        }
      }
      if (!token) throw new Error('the coordinator needs a worker token');
      if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();
    }
  };
}

/** Why a ready step does not run, or null when it runs. */
function skipReason(s: PlanStep, done: Map<string, NodeResult>, skipped: Set<string>, registry: WorkflowRegistry): string | null {
  if (s.dependsOn.length > 0 && s.dependsOn.every((x) => skipped.has(x))) return 'every dependency was skipped';
  const deps = s.dependsOn.map((x) => done.get(x)).filter((r): r is NodeResult => Boolean(r));
  const upstream = mergeResults(deps);
  if (s.condition) {
    const value = readPath(upstream.outputs[s.condition.instance], s.condition.test.path);
    const pass = testCondition(value, s.condition.test.op, s.condition.test.value);
    if (pass === s.condition.negate) {
      return `condition ${s.condition.instance}.${s.condition.test.path} ${s.condition.test.op} ${JSON.stringify(s.condition.test.value ?? null)} is ${pass}`;
    }
  }
  if (s.hasWhen) {
    const when = registry.get(s.workflow).nodes[s.node]?.when;
    const state = { ...upstream.state, ...resolveParams(s.params, upstream.outputs) };
    if (when && !when(state)) return `${s.workflow}.${s.node}: its when() returned false`;
  }
  return null;
}

/** Job ids of every child already added (pending, done, failed or ignored). */
async function existingChildren(job: Job): Promise<Set<string>> {
  const deps = await job.getDependencies();
  const keys = [
    ...Object.keys(deps.processed ?? {}),
    ...(deps.unprocessed ?? []),
    ...Object.keys(deps.ignored ?? {}),
    ...(deps.failed ?? []),
  ];
  return new Set(keys.map((k) => k.slice(k.lastIndexOf(':') + 1)));
}
