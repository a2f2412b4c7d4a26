import type { FlowJob, FlowJobNode, JobsOptions, ParentOptions } from 'bullmq';
import type { Config } from '../config.js';
import type { FlowView } from '../client/producer-api.js';
import { CoordinatorJobData, stepJobId, type NodeJobDataInput, type RunContext } from './job-data.js';
import { compactStep, type Plan, type PlanStep } from '../planning/plan.js';
import { DEFAULT_NODE_QUEUE } from '../workflows/define-workflow.js';
import { QUEUE, RETENTION, nodeJobOptions, type QueueSet, type Queues } from './queues.js';

/** Where a run's node jobs go: the node queue of each workflow, under one partition's prefix. */
export interface NodeRoute {
  queueOf(workflow: string): string;
  /** The partition's BullMQ prefix; unset: the FlowProducer's own. */
  prefix?: string;
}

const DEFAULT_ROUTE: NodeRoute = { queueOf: () => DEFAULT_NODE_QUEUE };

type FlowNode = FlowJob | FlowJobNode;

/** The job of one step in a tree: its data and options (`children`: some dependencies are its children). */
export type TreeJob = (step: PlanStep, children: boolean, root: boolean) => { data: NodeJobDataInput; opts: JobsOptions };

/**
 * One BullMQ flow for the steps of `steps` under `sinkId`: every job's children are its dependencies
 * among `steps` (so BullMQ runs them first and the parent reads their return values); dependencies
 * outside it are the caller's (e.g. inputs). The steps must form a tree.
 */
export function flowTree(steps: readonly PlanStep[], sinkId: string, job: TreeJob, route: NodeRoute): FlowJob {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const node = (step: PlanStep, root: boolean): FlowNode => {
    const kids = step.dependsOn.filter((d) => byId.has(d));
    const { data, opts } = job(step, kids.length > 0, root);
    const children = kids.map((d) => node(byId.get(d)!, false));
    return { name: step.id, queueName: route.queueOf(step.workflow), ...(route.prefix ? { prefix: route.prefix } : {}), data, opts, ...(children.length ? { children } : {}) } as FlowNode;
  };
  return node(byId.get(sinkId)!, true) as FlowJob;
}

/** Plans are immutable and cached by the producer: each step's compact form is made once. */
const compactSteps = new WeakMap<PlanStep, ReturnType<typeof compactStep>>();
function compactOf(step: PlanStep): ReturnType<typeof compactStep> {
  let c = compactSteps.get(step);
  if (!c) compactSteps.set(step, (c = compactStep(step)));
  return c;
}

/**
 * Compiles a tree-shaped plan into one BullMQ FlowProducer tree: the sink is the root and every
 * job's children are its dependencies, so BullMQ itself runs dependencies first and the parent
 * reads their return values. Every child carries its failure policy.
 */
export function buildTree(plan: Plan, run: RunContext, workers: Config['workers'], route: NodeRoute = DEFAULT_ROUTE): FlowJob {
  if (plan.mode !== 'tree' || plan.sinks.length !== 1) throw new Error('buildTree needs a tree plan with one sink');
  return flowTree(
    plan.steps,
    plan.sinks[0]!,
    (step, _children, root) => {
      // The root has no parent in the run; its own failure policy applies only when a parent is set.
      const opts = nodeJobOptions(workers, step, stepJobId(run.runId, step.id), !root);
      const data: NodeJobDataInput = { runId: run.runId, sessionId: run.sessionId, userId: run.userId, step: compactOf(step) };
      if (root) data.root = true;
      return { data, opts };
    },
    route,
  );
}

/** The coordinator job of a plan that is not a tree: it adds steps as they become ready. */
export function buildCoordinator(plan: Plan, run: RunContext): { name: string; data: CoordinatorJobData; opts: JobsOptions } {
  return {
    name: 'run',
    data: { ...run, plan, skipped: [] },
    opts: { jobId: run.runId, attempts: 3, backoff: { type: 'exponential', delay: 1000 }, ...RETENTION },
  };
}

/**
 * Steps of a coordinator plan that are ready from the start: no dependencies, no condition and no
 * `when` (those the coordinator decides). They are added with the coordinator, as its children, so
 * its first wake-up already finds them done instead of adding them.
 */
export function firstSteps(plan: Plan): PlanStep[] {
  return plan.steps.filter((s) => s.dependsOn.length === 0 && !s.condition && !s.hasWhen);
}

/** The job id that represents a run's outcome (its root node or its coordinator). */
export function topJobId(plan: Plan, run: RunContext): string {
  return plan.mode === 'tree' ? stepJobId(run.runId, plan.sinks[0]!) : run.runId;
}

/** What a dry run returns: the steps and the flow as it would be enqueued. */
export function flowView(plan: Plan, run: RunContext, workers: Config['workers'], route: NodeRoute = DEFAULT_ROUTE): FlowView {
  const inserted = new Set(plan.prerequisites.map((p) => p.instance));
  const planned = { prerequisites: plan.prerequisites, reused: plan.reused };
  const steps = plan.steps.map((s) => ({
    id: s.id,
    workflow: s.workflow,
    node: s.node,
    dependsOn: s.dependsOn,
    onFailure: s.onFailure,
    conditional: Boolean(s.condition) || s.hasWhen,
    prerequisite: inserted.has(s.instance),
  }));
  if (plan.mode === 'tree') {
    const strip = (n: FlowNode): unknown => ({
      name: n.name,
      queueName: n.queueName,
      jobId: n.opts?.jobId,
      failurePolicy: n.opts?.failParentOnFailure ? 'failParentOnFailure' : n.opts?.ignoreDependencyOnFailure ? 'ignoreDependencyOnFailure' : 'root',
      attempts: n.opts?.attempts,
      children: (n.children ?? []).map(strip),
    });
    return { mode: 'tree', steps, ...planned, tree: strip(buildTree(plan, run, workers, route)) };
  }
  const c = buildCoordinator(plan, run);
  return {
    mode: 'coordinator',
    steps,
    ...planned,
    tree: {
      name: c.name,
      queueName: QUEUE.flows,
      jobId: c.opts.jobId,
      note: `the coordinator is added with its first steps as children; it adds each other step as a child on its node queue (${[...new Set(plan.steps.map((st) => route.queueOf(st.workflow)))].join(', ')}) when its dependencies are done, then waits for it`,
      firstChildren: firstSteps(plan).map((s) => stepJobId(run.runId, s.id)),
    },
  };
}

/**
 * Enqueues a compiled run, optionally as a child of `parent` (the orchestrator job of a message),
 * which then waits for it under `ignoreDependencyOnFailure` so it can report a failure. Idempotent:
 * when the top job already exists (a retried caller), nothing is added again.
 */
export async function enqueuePlan(
  queues: Queues,
  plan: Plan,
  run: RunContext,
  workers: Config['workers'],
  parent?: ParentOptions,
  /** The run id was just minted, so no earlier attempt can have added it: skip the existence check. */
  fresh = false,
): Promise<{ jobId: string; queue: string; added: boolean }> {
  const jobId = topJobId(plan, run);
  // A parent's partition wins: parent and children must share its hash tag.
  const set: QueueSet = (parent && queues.byQualifiedName(parent.queue)) || queues.forSession(run.sessionId);
  const route: NodeRoute = { queueOf: queues.routing.queueOf, prefix: set.prefix };
  const queue = plan.mode === 'tree' ? set.node(route.queueOf(plan.steps.find((s) => s.id === plan.sinks[0])!.workflow)) : set.flows;
  if (!fresh && (await queue.getJob(jobId))) return { jobId, queue: queue.name, added: false };
  const parentOpts = parent ? { parent, ignoreDependencyOnFailure: true } : {};
  if (plan.mode === 'tree') {
    const tree = buildTree(plan, run, workers, route);
    tree.opts = { ...tree.opts, ...parentOpts };
    await queues.flowProducer.add(tree);
  } else {
    const c = buildCoordinator(plan, run);
    const first = firstSteps(plan);
    // one atomic add: the coordinator and the steps ready from the start (its first wake-up finds them done)
    await queues.flowProducer.add({
      name: c.name,
      queueName: set.flows.name,
      prefix: set.prefix,
      data: c.data,
      opts: { ...c.opts, ...parentOpts },
      children: first.map((s): FlowJob => ({
        name: s.id,
        queueName: route.queueOf(s.workflow),
        prefix: set.prefix,
        data: { runId: run.runId, sessionId: run.sessionId, userId: run.userId, step: compactOf(s) } satisfies NodeJobDataInput,
        opts: nodeJobOptions(workers, s, stepJobId(run.runId, s.id)),
      })),
    });
  }
  return { jobId, queue: queue.name, added: true };
}
