import { UnrecoverableError, WaitingChildrenError, type Job } from 'bullmq';
import { flowTree } from './flow-builder.js';
import type { RedisClient } from '../infra/redis.js';
import type { Config } from '../config.js';
import type { WorkflowRegistry } from '../workflows/registry.js';
import { publishSessionEvent } from './events.js';
import { CoordinatorJobData, stepJobId, type NodeJobDataInput, type NodeResult } from './job-data.js';
import { mergeResults, readPath, resolveParams, testCondition } from './merge-results.js';
import { stepOfKey } from './node-runner.js';
import { readNodeResult } from './job-data-reader.js';
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
      // one round trip's wait for the two reads (the children: one pipeline of four commands)
      const [cancelled, { results, failed, existing }] = await Promise.all([isCancelled(deps.redis, deps.keyPrefix, d.runId), children(job)]);
      if (cancelled) throw new UnrecoverableError(CANCELLED_MESSAGE);
      const done = new Map<string, NodeResult>(results.map((r) => [r.step, r]));
      const failedSteps = new Map(failed.map((f) => [f.step, f.error]));
      const skipped = new Set(d.skipped);
      // the steps of a subtree whose root has finished are settled with it
      const covered = new Set(d.tree && (done.has(d.tree.root) || failedSteps.has(d.tree.root)) ? d.tree.steps : []);
      const settled = (id: string) => done.has(id) || failedSteps.has(id) || skipped.has(id) || covered.has(id);
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
      const set = deps.queues.byQualifiedName(job.queueQualifiedName);
      if (!set) throw new UnrecoverableError(`coordinator job ${job.id} is on ${job.queueQualifiedName}, which is no partition of this process's queues`);
      const inputsOf = (s: PlanStep) => Object.fromEntries(s.dependsOn.filter((x) => done.has(x)).map((x) => [x, done.get(x)!]));
      const dataOf = (s: PlanStep, children: boolean): NodeJobDataInput => {
        const inputs = inputsOf(s);
        return {
          runId: d.runId,
          sessionId: d.sessionId,
          userId: d.userId,
          step: compactStep(s),
          ...(Object.keys(inputs).length ? { inputs } : {}),
          ...(skipped.size ? { skipped: [...skipped] } : {}),
          ...(children && Object.keys(inputs).length ? { children: true } : {}),
        };
      };
      const parent = { id: job.id!, queue: job.queueQualifiedName };
      if (!d.tree) {
        const remaining = steps.filter((s) => !settled(s.id));
        const sink = remainingTree(remaining);
        if (sink && !remaining.some((s) => existing.has(stepJobId(d.runId, s.id)))) {
          // recorded before the add: a re-run after a crash adds the same tree (same job ids) or finds it
          d.tree = { root: sink.id, steps: remaining.map((s) => s.id) };
          await job.updateData(d);
        }
      }
      if (d.tree) {
        if (!existing.has(stepJobId(d.runId, d.tree.root))) {
          const inTree = new Set(d.tree.steps);
          const tree = flowTree(
            steps.filter((s) => inTree.has(s.id)),
            d.tree.root,
            (s, children, root) => {
              const opts = nodeJobOptions(deps.workers, s, stepJobId(d.runId, s.id));
              return { data: dataOf(s, children), opts: root ? { ...opts, parent } : opts };
            },
            { queueOf: deps.queues.routing.queueOf, prefix: set.prefix },
          );
          await deps.queues.flowProducer.add(tree);
        }
      } else {
        const toAdd = ready.filter((s) => !existing.has(stepJobId(d.runId, s.id)));
        const jobs = toAdd.map((s) => ({
          queue: deps.queues.routing.queueOf(s.workflow),
          name: s.id,
          data: dataOf(s, false),
          opts: { ...nodeJobOptions(deps.workers, s, stepJobId(d.runId, s.id)), parent },
        }));
        for (const name of new Set(jobs.map((j) => j.queue))) {
          await set.node(name).addBulk(jobs.filter((j) => j.queue === name).map(({ queue: _queue, ...j }) => j));
        }
      }
      if (!token) throw new Error('the coordinator needs a worker token');
      if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();
    }
  };
}

/**
 * The sink of `remaining` when those steps form one tree BullMQ can run by itself: at least two
 * steps, no condition or `when` among them (those are decided here), one sink, and every other
 * step read by exactly one remaining step. Otherwise undefined.
 */
function remainingTree(remaining: PlanStep[]): PlanStep | undefined {
  if (remaining.length < 2 || remaining.some((s) => s.condition || s.hasWhen)) return undefined;
  const ids = new Set(remaining.map((s) => s.id));
  const dependents = new Map<string, number>();
  for (const s of remaining) for (const x of s.dependsOn) if (ids.has(x)) dependents.set(x, (dependents.get(x) ?? 0) + 1);
  const sinks = remaining.filter((s) => !dependents.has(s.id));
  if (sinks.length !== 1 || [...dependents.values()].some((n) => n !== 1)) return undefined;
  return sinks[0];
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

/**
 * The coordinator's children, from one read of BullMQ's dependency keys: the results of those done,
 * the ignored failures, and the job ids of every child already added (pending, done, failed or
 * ignored). A child that finishes while they are read may be missed; it is read on the next wake-up.
 */
async function children(job: Job): Promise<{ results: NodeResult[]; failed: { step: string; error: string }[]; existing: Set<string> }> {
  const deps = await job.getDependencies();
  const processed = deps.processed ?? {};
  const ignored = (deps.ignored ?? {}) as Record<string, unknown>;
  const keys = [...Object.keys(processed), ...(deps.unprocessed ?? []), ...Object.keys(ignored), ...(deps.failed ?? [])];
  return {
    results: Object.values(processed).map(readNodeResult),
    failed: Object.entries(ignored).map(([key, error]) => ({ step: stepOfKey(key), error: String(error) })),
    existing: new Set(keys.map((k) => k.slice(k.lastIndexOf(':') + 1))),
  };
}
