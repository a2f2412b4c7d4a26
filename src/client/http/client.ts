import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import createOpenApiClient, { type Client } from 'openapi-fetch';
import { openEventStream, type EventStream } from './event-stream.js';
import type { operations, paths } from './openapi-types.js';
import { Transport, type TransportOptions } from './transport.js';
import { prepareUpload, type UploadSource } from './upload-source.js';
import { waitForJob, type WaitForJobOptions } from './wait-for-job.js';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
/** The JSON answer of an operation for one status. */
export type ResponseOf<Op extends keyof operations, S extends keyof operations[Op]['responses']> = Json<operations[Op]['responses'][S]>;
/** The JSON request body of an operation. */
export type RequestOf<Op extends keyof operations> = Json<NonNullable<operations[Op]['requestBody']>>;
/** The query parameters of an operation. */
export type QueryOf<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

export type Session = ResponseOf<'createSession', 201>;
export type SessionPage = ResponseOf<'listSessions', 200>;
export type MessagePage = ResponseOf<'listMessages', 200>;
export type Artifact = ResponseOf<'getArtifact', 200>;
export type ArtifactPage = ResponseOf<'listArtifacts', 200>;
export type Job = ResponseOf<'getJob', 200>;
export type MessageAccepted = ResponseOf<'postMessage', 202>;
export type RunAccepted = ResponseOf<'startRun', 202>;
export type FlowView = ResponseOf<'startRun', 200>;
export type RunRequest = RequestOf<'startRun'>;
export type MessageRequest = Omit<RequestOf<'postMessage'>, 'idempotencyKey'>;
export type CreateSessionRequest = RequestOf<'createSession'>;
export type Workflows = ResponseOf<'listWorkflows', 200>;
export type Checkpoint = ResponseOf<'createCheckpoint', 201>;

export type ClientOptions = TransportOptions;

/** Options of a request that starts work: the same key twice (per user) gives the first job. */
export interface IdempotentOptions {
  /** Default: a fresh random key, sent again on every retry of this call. */
  idempotencyKey?: string;
}

export interface UploadOptions {
  /** Artifact name. Default: the file's name (for `{ path }`). */
  name?: string;
  /** Media type. Default: from the file's extension, else `application/octet-stream`. */
  mimeType?: string;
  workflowName?: string;
  artifactType?: QueryOf<'uploadArtifact'>['artifactType'];
  description?: string;
  /** `{ key: value }` tags. */
  tags?: Record<string, string>;
}

const enc = encodeURIComponent;
const idem = (o: IdempotentOptions) => (o.idempotencyKey ? { 'idempotency-key': o.idempotencyKey } : {});

function must<T>(r: { data?: T }): T {
  // the transport throws on every error answer, so a missing body is a 204
  return r.data as T;
}

/**
 * The HTTP client of the DataOps API, typed from its OpenAPI document (`src/client/http/openapi-types.ts`,
 * generated). Sessions, streamed uploads, messages, runs, jobs (with `waitForJob` over the session's
 * WebSocket), artifacts and checkpoints; `api` is the full typed client for every other route.
 * Errors are the project's classes (ValidationError, NotFoundError, RateLimitError…) chosen by the
 * API's error code; starting work sends an idempotency key that every retry repeats.
 */
export class DataOpsClient {
  readonly transport: Transport;
  /** Every route, typed (openapi-fetch), with the same auth, retries and errors. */
  readonly api: Client<paths>;

  constructor(options: ClientOptions) {
    this.transport = new Transport(options);
    this.api = createOpenApiClient<paths>({ baseUrl: this.transport.baseUrl, fetch: this.transport.fetchForOpenApi });
  }

  get baseUrl(): string {
    return this.transport.baseUrl;
  }

  // ---------- sessions ----------

  async createSession(body: CreateSessionRequest = {}, o: IdempotentOptions = {}): Promise<Session> {
    return must(await this.api.POST('/v1/sessions', { body, headers: idem(o) }));
  }

  async getSession(sessionId: string): Promise<Session> {
    return must(await this.api.GET('/v1/sessions/{id}', { params: { path: { id: sessionId } } }));
  }

  async listSessions(query: QueryOf<'listSessions'> = {}): Promise<SessionPage> {
    return must(await this.api.GET('/v1/sessions', { params: { query } }));
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.api.DELETE('/v1/sessions/{id}', { params: { path: { id: sessionId } } });
  }

  async listMessages(sessionId: string, query: QueryOf<'listMessages'> = {}): Promise<MessagePage> {
    return must(await this.api.GET('/v1/sessions/{id}/messages', { params: { path: { id: sessionId }, query } }));
  }

  // ---------- work ----------

  /** Sends a message to the assistant; follow `jobId` with `waitForJob`. */
  async sendMessage(sessionId: string, body: MessageRequest, o: IdempotentOptions = {}): Promise<MessageAccepted> {
    return must(await this.api.POST('/v1/sessions/{id}/messages', { params: { path: { id: sessionId } }, body, headers: idem(o) })) as MessageAccepted;
  }

  /** Runs a workflow, chain or DAG without the LLM. */
  async startRun(sessionId: string, body: RunRequest, o: IdempotentOptions = {}): Promise<RunAccepted> {
    return must(await this.api.POST('/v1/sessions/{id}/runs', { params: { path: { id: sessionId } }, body, headers: idem(o) })) as RunAccepted;
  }

  /** The flow a run request compiles to; nothing is enqueued. */
  async dryRun(sessionId: string, body: RunRequest): Promise<FlowView> {
    return must(await this.api.POST('/v1/sessions/{id}/runs', { params: { path: { id: sessionId }, query: { dryRun: 'true' } }, body })) as FlowView;
  }

  async getJob(jobId: string): Promise<Job> {
    return must(await this.api.GET('/v1/jobs/{jobId}', { params: { path: { jobId } } }));
  }

  /**
   * Resolves with the job once it completed or failed (check `state`); live over the session's
   * WebSocket, polling as a fallback. Rejects with UnreachableError when the server goes away and
   * with TimeoutError after `timeoutMs`.
   */
  waitForJob(jobId: string, o: WaitForJobOptions = {}): Promise<Job> {
    return waitForJob({ getJob: (id) => this.getJob(id), openStream: (s) => this.events(s) }, jobId, o);
  }

  /** The session's live events (subscribed when this resolves). */
  events(sessionId: string): Promise<EventStream> {
    return openEventStream(this.transport, sessionId);
  }

  async listWorkflows(): Promise<Workflows> {
    return must(await this.api.GET('/v1/workflows'));
  }

  // ---------- artifacts ----------

  /**
   * Uploads a file as an artifact of the session, streamed (a file is never read into memory). A file
   * or bytes are sent again on a retry; a one-shot stream is not retried.
   */
  async uploadArtifact(sessionId: string, source: UploadSource, o: UploadOptions = {}): Promise<Artifact> {
    const up = await prepareUpload(source, o.mimeType);
    const q = new URLSearchParams();
    const name = o.name ?? up.name;
    if (name) q.set('name', name);
    if (o.workflowName) q.set('workflowName', o.workflowName);
    if (o.artifactType) q.set('artifactType', o.artifactType);
    if (o.description) q.set('description', o.description);
    for (const [k, v] of Object.entries(o.tags ?? {})) q.append('tag', `${k}:${v}`);
    const query = q.size ? `?${q.toString()}` : '';
    const res = await this.transport.send(`/v1/sessions/${enc(sessionId)}/artifacts${query}`, {
      method: 'POST',
      headers: { 'content-type': up.mimeType, ...(up.size !== undefined ? { 'content-length': String(up.size) } : {}) },
      body: up.body,
      replayable: up.replayable,
      timeout: false,
      what: `upload ${name ?? 'artifact'}`,
    });
    return (await res.json()) as Artifact;
  }

  async getArtifact(artifactId: string): Promise<Artifact> {
    return must(await this.api.GET('/v1/artifacts/{id}', { params: { path: { id: artifactId } } }));
  }

  async listArtifacts(sessionId: string, query: QueryOf<'listArtifacts'> = {}): Promise<ArtifactPage> {
    return must(await this.api.GET('/v1/sessions/{id}/artifacts', { params: { path: { id: sessionId }, query } }));
  }

  /** Every artifact of the session (all pages). */
  async allArtifacts(sessionId: string, query: Omit<QueryOf<'listArtifacts'>, 'cursor' | 'limit'> = {}): Promise<Artifact[]> {
    const out: Artifact[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.listArtifacts(sessionId, { ...query, limit: 100, ...(cursor ? { cursor } : {}) });
      out.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  }

  /** The artifact's content as a Node stream, with its media type and size. */
  async downloadArtifact(artifactId: string): Promise<{ body: Readable; mimeType: string; sizeBytes: number | undefined }> {
    const res = await this.transport.send(`/v1/artifacts/${enc(artifactId)}/content`, { method: 'GET', timeout: false });
    const length = res.headers.get('content-length');
    return {
      body: res.body ? Readable.fromWeb(res.body as NodeWebStream<Uint8Array>) : Readable.from([]),
      mimeType: res.headers.get('content-type') ?? 'application/octet-stream',
      sizeBytes: length === null ? undefined : Number(length),
    };
  }

  /** The artifact's content as UTF-8 text (for small text artifacts: DDL, reports). */
  async artifactText(artifactId: string): Promise<string> {
    const res = await this.transport.send(`/v1/artifacts/${enc(artifactId)}/content`, { method: 'GET' });
    return res.text();
  }

  async deleteArtifact(artifactId: string): Promise<void> {
    await this.api.DELETE('/v1/artifacts/{id}', { params: { path: { id: artifactId } } });
  }

  // ---------- context ----------

  async createCheckpoint(sessionId: string, body: RequestOf<'createCheckpoint'>): Promise<Checkpoint> {
    return must(await this.api.POST('/v1/sessions/{id}/checkpoints', { params: { path: { id: sessionId } }, body }));
  }

  async restoreCheckpoint(sessionId: string, label: string, body: RequestOf<'restoreCheckpoint'> = {}): Promise<ResponseOf<'restoreCheckpoint', 200>> {
    return must(await this.api.POST('/v1/sessions/{id}/checkpoints/{label}/restore', { params: { path: { id: sessionId, label } }, body }));
  }
}

/** A client for `baseUrl` with `token` (see ClientOptions for timeouts and retries). */
export function createClient(options: ClientOptions): DataOpsClient {
  return new DataOpsClient(options);
}
