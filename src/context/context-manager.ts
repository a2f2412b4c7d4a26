import type { z } from 'zod';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors/index.js';
import type { Services } from '../infra/services.js';
import type { LlmClient } from '../llm/llm.js';
import { DEFAULT_COMPRESS_TOKENS } from '../llm/offline-compress.js';
import type { Logger } from '../logger.js';
import type { SessionManager } from '../sessions/session-manager.js';
import type { Session, SessionUpdate } from '../sessions/session.js';
import { Checkpoint, CheckpointLabel, CheckpointOptions } from './checkpoint.js';
import { CheckpointTable } from './checkpoint-table.js';
import {
  ContextSnapshot,
  DumpOptions,
  InheritOptions,
  LoadOptions,
  LoadStrategy,
  SnapshotSummary,
  type StoredSnapshot,
} from './context-snapshot.js';
import { applyStrategy, pickKeys } from './merge.js';
import { deleteSessionDependents } from './session-cascade.js';
import { PromptContext, type PromptSummary, type PromptSummaryOptions } from './prompt-context.js';
import { DEFAULT_SNAPSHOT_MAX_BYTES, SNAPSHOT_TAG, SNAPSHOT_WORKFLOW, decodeSnapshot, encodeSnapshot, GZIP_MIME } from './snapshot-codec.js';

export interface ContextManagerOptions {
  /** Where sessions live; every change goes through `updateWith`, so concurrent updates are not lost. */
  sessions: SessionManager;
  /** Where snapshots are stored (as artifacts of type `context`). */
  artifacts: ArtifactStore;
  /** Used by `compressContext` and `promptSummary`. */
  llm: LlmClient;
  /**
   * DynamoDB client and table names (the checkpoints table); with `redis` and `keyPrefix`, the
   * compressed prompt context is cached in Redis (else it is compressed on every prompt).
   */
  services: Pick<Services, 'doc' | 'tables'> & Partial<Pick<Services, 'redis' | 'keyPrefix'>>;
  /** Largest decoded snapshot read, in bytes (a gzip bomb stops there). Default 32 MiB (config: DATAOPS_SNAPSHOT_MAX_BYTES). */
  maxSnapshotBytes?: number | undefined;
  /** How long a cached compressed prompt context lives, in ms. Default 24 h. */
  promptCacheTtlMs?: number | undefined;
  /** Component logger. Default none. */
  log?: Logger | undefined;
  /**
   * Days a checkpoint's snapshot artifact lives; null = until `deleteCheckpoint`. Default null, so a
   * checkpoint never points at an expired snapshot.
   */
  checkpointTtlDays?: number | null | undefined;
}

/** Options of `compressContext`. */
export interface CompressContextOptions {
  /** Token budget (≈ 4 characters per token). Default 2000. */
  maxTokens?: number;
  /** Model for the LLM; ignored offline. */
  model?: string;
}


/** Most artifact ids a snapshot lists (the session's newest first). */
const MAX_LISTED_ARTIFACTS = 10_000;

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const summary = r.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
  throw new ValidationError(`invalid ${what}: ${summary}`, { details: r.error.issues });
}

/**
 * Snapshots, checkpoints, inheritance and compression of a session's context (spec §3), built on
 * the SessionManager and the ArtifactStore. A snapshot is an artifact of type `context` tagged
 * `kind=context_snapshot`; its id is the artifact id, so `dumpContext`'s answer is what
 * `loadContext` loads. Checkpoints are items in the checkpoints table (partition sessionId, sort
 * label) pointing at a snapshot; a label is claimed with a conditional put.
 */
export class ContextManager {
  private readonly sessions: SessionManager;
  private readonly artifacts: ArtifactStore;
  private readonly llm: LlmClient;
  private readonly log: Logger | undefined;
  private readonly checkpoints: CheckpointTable;
  private readonly checkpointTtlDays: number | null;
  private readonly prompt: PromptContext;
  private readonly maxSnapshotBytes: number;

  constructor(options: ContextManagerOptions) {
    this.sessions = options.sessions;
    this.artifacts = options.artifacts;
    this.llm = options.llm;
    this.log = options.log?.child({ component: 'context' });
    this.checkpoints = new CheckpointTable(options.services.doc, options.services.tables.checkpoints);
    this.checkpointTtlDays = options.checkpointTtlDays ?? null;
    this.maxSnapshotBytes = options.maxSnapshotBytes ?? DEFAULT_SNAPSHOT_MAX_BYTES;
    const { redis, keyPrefix } = options.services;
    const cache = redis && keyPrefix !== undefined ? { redis, keyPrefix, ttlMs: options.promptCacheTtlMs ?? 86_400_000 } : undefined;
    this.prompt = new PromptContext(this.sessions, this.llm, cache, this.log);
  }

  // ---- snapshots ------------------------------------------------------------------------------

  /** Freezes the session's context into a snapshot artifact. NotFoundError for an unknown session. */
  async dumpContext(sessionId: string, options: DumpOptions = {}): Promise<ContextSnapshot> {
    const o = parse(DumpOptions, options, 'dump options');
    const session = await this.sessions.get(sessionId);
    const recent = o.recentMessages > 0 ? await this.sessions.getRecentMessages(sessionId, o.recentMessages) : undefined;
    const listed = o.includeArtifacts ? await this.listArtifactIds(sessionId) : [];
    const body: StoredSnapshot = {
      format: 1,
      sessionId,
      createdAt: new Date().toISOString(),
      orchestratorState: {
        globalContext: session.globalContext,
        activeWorkflows: session.activeWorkflows,
        artifactRefs: session.artifactRefs,
        messageCount: session.messageCount,
        ...(recent ? { recentMessages: recent.map((m) => ({ ...m })) } : {}),
      },
      workflowStates: o.workflowStates,
      artifactRefs: listed,
    };
    const enc = await encodeSnapshot(body, o.compress);
    const artifact = await this.artifacts.store({
      sessionId,
      workflowName: SNAPSHOT_WORKFLOW,
      artifactType: 'context',
      content: enc.bytes,
      contentType: enc.compressed ? 'binary' : 'json',
      mimeType: enc.compressed ? GZIP_MIME : 'application/json',
      createdBy: SNAPSHOT_WORKFLOW,
      description: o.description ?? `Context snapshot of ${sessionId}`,
      name: enc.compressed ? 'context-snapshot.json.gz' : 'context-snapshot.json',
      kind: 'context.snapshot',
      tags: { ...SNAPSHOT_TAG, compressed: String(enc.compressed), originalSize: String(enc.originalSize) },
      ...(o.ttlDays !== undefined ? { ttlDays: o.ttlDays } : {}),
    });
    this.log?.debug(
      { sessionId, snapshotId: artifact.artifactId, compressed: enc.compressed, originalSize: enc.originalSize, compressedSize: enc.compressedSize },
      'context dumped',
    );
    const { format: _format, ...rest } = body;
    return ContextSnapshot.parse({
      snapshotId: artifact.artifactId,
      ...rest,
      compressed: enc.compressed,
      originalSize: enc.originalSize,
      compressedSize: enc.compressedSize,
    });
  }

  /**
   * Reads a snapshot. NotFoundError when there is no such artifact; ValidationError when the
   * artifact is not a context snapshot.
   */
  async getSnapshot(snapshotId: string): Promise<ContextSnapshot> {
    const artifact = await this.artifacts.peek(snapshotId);
    // Only the context manager writes snapshots (uploads cannot claim the type, tag or workflow).
    if (artifact.artifactType !== 'context' || artifact.tags.kind !== SNAPSHOT_TAG.kind || artifact.workflowName !== SNAPSHOT_WORKFLOW) {
      throw new ValidationError(`artifact ${snapshotId} is not a context snapshot`);
    }
    const bytes = await this.artifacts.getBuffer(snapshotId);
    const { body, compressed, originalSize } = await decodeSnapshot(bytes, snapshotId, this.maxSnapshotBytes);
    const { format: _format, ...rest } = body;
    return ContextSnapshot.parse({ snapshotId, ...rest, compressed, originalSize, compressedSize: bytes.length });
  }

  /**
   * Loads a snapshot's globalContext and returns the result. With `sessionId`, applies it to that
   * session (atomically against concurrent updates) by `strategy` — see LoadStrategy — and returns
   * the session's new globalContext; without, returns the snapshot's (only `keys` for selective).
   * Any session's snapshot may be loaded: deciding who may is the caller's job.
   */
  async loadContext(snapshotId: string, options: LoadOptions = {}): Promise<Record<string, unknown>> {
    const o = parse(LoadOptions, options, 'load options');
    const snapshot = await this.getSnapshot(snapshotId);
    const fromSnapshot = snapshot.orchestratorState.globalContext;
    if (o.sessionId === undefined) return o.strategy === 'selective' ? pickKeys(fromSnapshot, o.keys ?? []) : { ...fromSnapshot };
    const updated = await this.apply(o.sessionId, snapshot, o.strategy, o.keys ?? [], false);
    return updated.globalContext;
  }

  private async apply(
    sessionId: string,
    snapshot: ContextSnapshot,
    strategy: LoadStrategy,
    keys: readonly string[],
    withState: boolean,
  ): Promise<Session> {
    return this.sessions.updateWith(sessionId, (s): SessionUpdate => {
      const update: SessionUpdate = {
        globalContext: applyStrategy(strategy, s.globalContext, snapshot.orchestratorState.globalContext, keys),
      };
      if (withState && strategy === 'replace') {
        update.activeWorkflows = snapshot.orchestratorState.activeWorkflows;
        update.artifactRefs = snapshot.orchestratorState.artifactRefs;
      }
      return update;
    });
  }

  // ---- checkpoints ----------------------------------------------------------------------------

  /**
   * Snapshots the session (compressed) under a label. ConflictError when the label exists, unless
   * `overwrite` (then the old checkpoint's snapshot is deleted). NotFoundError for an unknown session.
   */
  async createCheckpoint(sessionId: string, label: string, options: CheckpointOptions = {}): Promise<Checkpoint> {
    const l = parse(CheckpointLabel, label, 'checkpoint label');
    const o = parse(CheckpointOptions, options, 'checkpoint options');
    await this.sessions.get(sessionId);
    if (!o.overwrite && (await this.checkpoints.get(sessionId, l))) throw this.labelTaken(sessionId, l);
    const snapshot = await this.dumpContext(sessionId, {
      compress: true,
      ttlDays: this.checkpointTtlDays,
      description: `Checkpoint ${l} of ${sessionId}`,
    });
    const cp: Checkpoint = { label: l, snapshotId: snapshot.snapshotId, createdAt: snapshot.createdAt };
    const r = await this.checkpoints.put(sessionId, cp, o.overwrite).catch(async (err: unknown) => {
      await this.deleteSnapshotQuietly(snapshot.snapshotId);
      throw err;
    });
    if (!r.created) {
      // Lost the race for the label: nothing points at our snapshot, so it goes.
      await this.deleteSnapshotQuietly(snapshot.snapshotId);
      throw this.labelTaken(sessionId, l);
    }
    if (r.replaced && r.replaced.snapshotId !== cp.snapshotId) await this.deleteSnapshotQuietly(r.replaced.snapshotId);
    return cp;
  }

  /** The session's checkpoints, newest first. NotFoundError for an unknown session. */
  async listCheckpoints(sessionId: string): Promise<Checkpoint[]> {
    await this.sessions.get(sessionId);
    const all = await this.checkpoints.list(sessionId);
    return all.sort((a, b) => (a.createdAt === b.createdAt ? (a.label < b.label ? -1 : 1) : a.createdAt < b.createdAt ? 1 : -1));
  }

  /**
   * Restores the session to a checkpoint and returns the new globalContext. `replace` (default)
   * also restores activeWorkflows and artifactRefs; `merge`/`selective` touch only globalContext.
   * NotFoundError for an unknown session or label.
   */
  async restoreCheckpoint(sessionId: string, label: string, strategy: LoadStrategy = 'replace', keys?: string[]): Promise<Record<string, unknown>> {
    const l = parse(CheckpointLabel, label, 'checkpoint label');
    const s = parse(LoadStrategy, strategy, 'strategy');
    parse(LoadOptions, { strategy: s, keys }, 'restore options');
    await this.sessions.get(sessionId);
    const cp = await this.checkpoints.get(sessionId, l);
    if (!cp) throw new NotFoundError(`checkpoint ${l} of session ${sessionId} not found`);
    let snapshot: ContextSnapshot;
    try {
      snapshot = await this.getSnapshot(cp.snapshotId);
    } catch (err) {
      if (err instanceof NotFoundError) {
        throw new NotFoundError(`the snapshot of checkpoint ${l} is gone (${cp.snapshotId})`, { cause: err });
      }
      throw err;
    }
    const updated = await this.apply(sessionId, snapshot, s, keys ?? [], true);
    return updated.globalContext;
  }

  /** The session's context snapshots (the artifacts of type `context`), newest first, with the checkpoints naming each. */
  async listSnapshots(sessionId: string): Promise<SnapshotSummary[]> {
    await this.sessions.get(sessionId);
    const byId = new Map<string, string[]>();
    for (const cp of await this.checkpoints.list(sessionId)) byId.set(cp.snapshotId, [...(byId.get(cp.snapshotId) ?? []), cp.label]);
    const out: SnapshotSummary[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.artifacts.list(sessionId, { artifactType: 'context', limit: 200, ...(cursor ? { cursor } : {}) });
      for (const a of page.items) {
        if (a.tags.kind !== SNAPSHOT_TAG.kind) continue;
        out.push({ snapshotId: a.artifactId, createdAt: a.createdAt, sizeBytes: a.sizeBytes, compressed: a.mimeType === GZIP_MIME, checkpoints: byId.get(a.artifactId) ?? [] });
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor && out.length < MAX_LISTED_ARTIFACTS);
    return out.sort((x, y) => y.createdAt.localeCompare(x.createdAt));
  }

  /** Deletes a checkpoint and its snapshot. NotFoundError when the label does not exist. */
  async deleteCheckpoint(sessionId: string, label: string): Promise<void> {
    const l = parse(CheckpointLabel, label, 'checkpoint label');
    const gone = await this.checkpoints.delete(sessionId, l);
    if (!gone) throw new NotFoundError(`checkpoint ${l} of session ${sessionId} not found`);
    await this.deleteSnapshotQuietly(gone.snapshotId);
  }

  // ---- inheritance and compression ------------------------------------------------------------

  /**
   * Copies the source session's globalContext (or only `keys`) into the target's: a shallow merge
   * in which the source wins on conflicts. Runs as an `updateWith`, so a concurrent update of the
   * target is not lost. Returns the target's new globalContext. NotFoundError for either session.
   */
  async inheritContext(sourceSessionId: string, targetSessionId: string, options: InheritOptions = {}): Promise<Record<string, unknown>> {
    const o = parse(InheritOptions, options, 'inherit options');
    const source = await this.sessions.get(sourceSessionId);
    const inherited = o.keys ? pickKeys(source.globalContext, o.keys) : { ...source.globalContext };
    const updated = await this.sessions.updateWith(targetSessionId, (t) => ({ globalContext: { ...t.globalContext, ...inherited } }));
    return updated.globalContext;
  }

  /** Compresses a context through the LLM port (which keeps every `art_…` id and parameter value). */
  async compressContext(context: Record<string, unknown>, options: CompressContextOptions = {}): Promise<Record<string, unknown>> {
    const maxTokens = options.maxTokens ?? DEFAULT_COMPRESS_TOKENS;
    if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new ValidationError('maxTokens must be a positive integer');
    return this.llm.compress(context, { maxTokens, ...(options.model ? { model: options.model } : {}) });
  }

  /**
   * The session as prompt text (see PromptContext): when the session prefers `autoCompressContext`
   * and the summary is over `budgetTokens`, the session context *in the prompt* is compressed to
   * what the budget leaves after the conversation (at least a quarter of it). The stored
   * globalContext is never changed. Reading does not count as activity.
   */
  async promptSummary(sessionId: string, options: PromptSummaryOptions): Promise<PromptSummary> {
    const budget = options.budgetTokens;
    if (!Number.isInteger(budget) || budget < 1) throw new ValidationError('budgetTokens must be a positive integer');
    return this.prompt.summary(sessionId, options);
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /**
   * Deletes a session and everything that hangs off it: checkpoints, artifacts (snapshots
   * included; shared content stays with the sessions that share it), messages and every Redis key
   * of the session. NotFoundError if unknown. A delete that crashed part-way is finished by
   * `resumeDeletes` (the maintenance worker's session sweep).
   */
  async deleteSession(sessionId: string): Promise<void> {
    await this.sessions.delete(sessionId, { cascade: (id) => this.deleteDependents(id) });
  }

  /** Finishes session deletes that crashed part-way; returns how many. */
  async resumeDeletes(): Promise<number> {
    return this.sessions.resumeDeletes((id) => this.deleteDependents(id));
  }

  private async deleteDependents(sessionId: string): Promise<void> {
    await deleteSessionDependents({ artifacts: this.artifacts, checkpoints: this.checkpoints, log: this.log }, sessionId);
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Ids of the session's artifacts, newest first, context snapshots excluded. */
  private async listArtifactIds(sessionId: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.artifacts.list(sessionId, { limit: 200, ...(cursor ? { cursor } : {}) });
      for (const a of page.items) if (a.artifactType !== 'context') ids.push(a.artifactId);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && ids.length < MAX_LISTED_ARTIFACTS);
    return ids.slice(0, MAX_LISTED_ARTIFACTS);
  }

  private async deleteSnapshotQuietly(snapshotId: string): Promise<void> {
    try {
      await this.artifacts.delete(snapshotId);
    } catch (err) {
      if (!(err instanceof NotFoundError)) this.log?.warn({ snapshotId, err: (err as Error).message }, 'could not delete a snapshot');
    }
  }

  private labelTaken(sessionId: string, label: string): ConflictError {
    return new ConflictError(`checkpoint ${label} already exists in session ${sessionId}`, { details: { sessionId, label } });
  }
}
