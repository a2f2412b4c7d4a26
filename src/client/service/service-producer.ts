import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { ArtifactType } from '../../artifacts/artifact.js';
import { TimeoutError } from '../../errors/timeout-error.js';
import type { RunRequest } from '../../planning/run-spec.js';
import type { Runtime } from '../../runtime/create-runtime.js';
import { CreateSessionOptions, type Session } from '../../sessions/session.js';
import { sessionOwnerCache, ownedArtifact, ownedJob, ownedSession } from '../ownership.js';
import { visibleArtifacts, type ArtifactView } from '../artifact-view.js';
import { parsePart } from '../parse-input.js';
import type { EnqueueMessageResult, EnqueueResult, FlowView, JobStatus } from '../producer-api.js';
import { submitMessage, submitRun, type MessageRequest } from '../requests.js';
import { prepareFile, type FileSource } from './file-source.js';

export interface StoreOptions {
  /** Artifact name. Default: the file's name (for `{ path }`). */
  name?: string;
  /** Media type. Default: from the file's extension, else `application/octet-stream`. */
  mimeType?: string;
  /** Default `upload` (as for API uploads). */
  workflowName?: string;
  /** Default `data`. */
  artifactType?: ArtifactType;
  description?: string;
  tags?: Record<string, string>;
}

export interface ProducerWaitOptions {
  /** Give up after this many ms (TimeoutError; the job goes on). Default 600000. */
  timeoutMs?: number;
  /** Read the job this often, in ms. Default 250. */
  pollMs?: number;
}

const FINAL = new Set(['completed', 'failed']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The producer for trusted services in the same network: what the API does for a request, without
 * HTTP, for the user the service names. Each call goes through the API's own code (src/client/requests.ts,
 * src/client/ownership.ts): the same validation, ownership checks, planning and idempotency keys,
 * then straight onto the BullMQ queues. Errors are the same classes the API maps to statuses.
 */
export class ServiceProducer {
  constructor(private readonly rt: Runtime) {}

  /** The runtime underneath (queues, stores), for what this class does not wrap. */
  get runtime(): Runtime {
    return this.rt;
  }

  /** Acting as `userId`: every call checks that what it touches is that user's. */
  forUser(userId: string): UserProducer {
    return new UserProducer(this.rt, z.string().min(1).max(200).parse(userId));
  }

  async close(): Promise<void> {
    await this.rt.close();
  }
}

/** The producer bound to one user (see ServiceProducer.forUser); method names match the HTTP client's. */
export class UserProducer {
  private readonly who: { userId: string };

  constructor(
    private readonly rt: Runtime,
    readonly userId: string,
  ) {
    this.who = { userId };
  }

  async createSession(options: z.input<typeof CreateSessionOptions> = {}): Promise<Session> {
    return this.rt.sessions.create(this.userId, parsePart(CreateSessionOptions, options, 'body'));
  }

  async getSession(sessionId: string): Promise<Session> {
    return ownedSession(this.rt, this.who, sessionId);
  }

  /** Stores a file (streamed to S3), bytes or a stream as an artifact of the user's session. */
  async uploadArtifact(sessionId: string, source: FileSource, o: StoreOptions = {}): Promise<ArtifactView> {
    await ownedSession(this.rt, this.who, sessionId);
    const file = await prepareFile(source);
    const artifact = await this.rt.artifacts.store({
      sessionId,
      workflowName: o.workflowName ?? 'upload',
      artifactType: o.artifactType ?? 'data',
      content: file.content,
      ...(o.mimeType ?? file.mimeType ? { mimeType: o.mimeType ?? file.mimeType } : {}),
      createdBy: this.userId,
      description: o.description ?? null,
      tags: o.tags ?? {},
      name: o.name ?? file.name ?? null,
    });
    const [view] = await visibleArtifacts(this.rt, this.who, [artifact], sessionOwnerCache(this.rt));
    return view!;
  }

  /** Records the message and enqueues its orchestrator job (as `POST /v1/sessions/:id/messages`). */
  async sendMessage(sessionId: string, body: Omit<MessageRequest, 'idempotencyKey'>, o: { idempotencyKey?: string } = {}): Promise<EnqueueMessageResult> {
    return submitMessage(this.rt, this.who, sessionId, body, o.idempotencyKey);
  }

  /** Validates, plans and enqueues a run (as `POST /v1/sessions/:id/runs`). */
  async startRun(sessionId: string, body: z.input<typeof RunRequest>, o: { idempotencyKey?: string } = {}): Promise<EnqueueResult & { runId: string }> {
    return submitRun(this.rt, this.who, sessionId, body, { idempotencyKey: o.idempotencyKey }) as Promise<EnqueueResult & { runId: string }>;
  }

  /** The flow a run request compiles to; nothing is enqueued. */
  async dryRun(sessionId: string, body: z.input<typeof RunRequest>): Promise<FlowView> {
    return submitRun(this.rt, this.who, sessionId, body, { dryRun: true }) as Promise<FlowView>;
  }

  /** The job's state, result or error (the user's jobs only), as `GET /v1/jobs/:id`. */
  async getJob(jobId: string): Promise<JobStatus> {
    return ownedJob(this.rt, this.who, jobId);
  }

  /** Resolves with the job once it completed or failed (check `state`); TimeoutError after `timeoutMs`. */
  async waitForJob(jobId: string, o: ProducerWaitOptions = {}): Promise<JobStatus> {
    const deadline = Date.now() + (o.timeoutMs ?? 600_000);
    for (;;) {
      const job = await this.getJob(jobId);
      if (FINAL.has(job.state)) return job;
      if (Date.now() > deadline) throw new TimeoutError(`job ${jobId} did not finish within ${Math.round((o.timeoutMs ?? 600_000) / 1000)} s`);
      await sleep(o.pollMs ?? 250);
    }
  }

  async getArtifact(artifactId: string): Promise<ArtifactView> {
    const owner = sessionOwnerCache(this.rt);
    await ownedArtifact(this.rt, this.who, artifactId, owner);
    const [view] = await visibleArtifacts(this.rt, this.who, [await this.rt.artifacts.get(artifactId)], owner);
    return view!;
  }

  /** Every artifact of the user's session (all pages), newest first. */
  async allArtifacts(sessionId: string): Promise<ArtifactView[]> {
    await ownedSession(this.rt, this.who, sessionId);
    const owner = sessionOwnerCache(this.rt);
    const out: ArtifactView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.rt.artifacts.list(sessionId, { limit: 100, ...(cursor ? { cursor } : {}) });
      out.push(...(await visibleArtifacts(this.rt, this.who, page.items, owner)));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  }

  /** The artifact's content, streamed from S3. */
  async downloadArtifact(artifactId: string): Promise<{ body: Readable; mimeType: string; sizeBytes: number }> {
    await ownedArtifact(this.rt, this.who, artifactId);
    const { artifact, body } = await this.rt.artifacts.getContent(artifactId);
    return { body, mimeType: artifact.mimeType, sizeBytes: artifact.sizeBytes };
  }

  /** The artifact's content as UTF-8 text (for small text artifacts: DDL, reports). */
  async artifactText(artifactId: string): Promise<string> {
    const { body } = await this.downloadArtifact(artifactId);
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array));
    return Buffer.concat(chunks).toString('utf8');
  }
}
