import type { Job } from 'bullmq';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { TenantArtifacts } from '../artifacts/tenant-artifacts.js';
import type { Logger } from '../logger.js';
import type { ArtifactKind, Derivation } from '../artifacts/artifact-kind.js';
import { derivationOf } from '../planning/derivation.js';
import type { NodeContext, NodeState, Workflow } from '../workflows/define-workflow.js';
import type { NodeJobData } from './job-data.js';

/**
 * What a node's `run` gets besides its state. A class, so the per-job parts made on first use
 * (the tenant store, the child logger, the derivation hash) cost nothing for the many nodes that
 * never touch them, and a context is one small object with its getters on the prototype.
 */
export class JobNodeContext implements NodeContext {
  readonly runId: string;
  readonly sessionId: string;
  readonly userId: string;
  readonly workflow: string;
  readonly node: string;
  readonly step: string;
  readonly produces: Readonly<Record<string, ArtifactKind>>;
  #artifacts: TenantArtifacts | undefined;
  #log: Logger | undefined;
  #derivation: Derivation | undefined;

  constructor(
    private readonly job: Job,
    data: NodeJobData,
    private readonly def: Workflow,
    private readonly input: NodeState,
    private readonly deps: { artifacts: ArtifactStore; log: Logger },
  ) {
    this.runId = data.runId;
    this.sessionId = data.sessionId;
    this.userId = data.userId;
    this.workflow = data.step.workflow;
    this.node = data.step.node;
    this.step = data.step.id;
    this.produces = def.produces;
  }

  /** The only store a node gets: bound to the run's user and session. */
  get artifacts(): TenantArtifacts {
    return (this.#artifacts ??= this.deps.artifacts.forTenant({ userId: this.userId, sessionId: this.sessionId, run: { runId: this.runId, step: this.step } }));
  }

  get log(): Logger {
    return (this.#log ??= this.deps.log.child({ runId: this.runId, step: this.step }));
  }

  /** Hashed on first use: only nodes that store artifacts read it. */
  get derivation(): Derivation {
    return (this.#derivation ??= derivationOf(this.def, this.input));
  }

  /** BullMQ's progress event reaches listeners through the QueueEvents bridge. */
  progress(percent: number, message?: string): Promise<void> {
    return this.job.updateProgress(message ? { percent, message } : percent);
  }
}
