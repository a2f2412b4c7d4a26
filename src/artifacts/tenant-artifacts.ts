import type { Readable } from 'node:stream';
import { z } from 'zod';
import { NotFoundError } from '../errors/not-found-error.js';
import { ARTIFACT_ID_PATTERN, type Artifact } from './artifact.js';
import type { ArtifactPage } from './list-query.js';
import { parseOrThrow, type ListArtifactsOptions, type StoreArtifactInput } from './store-input.js';

/** Who a view acts for: the run's (or request's) user and session. */
export const Tenant = z
  .object({
    userId: z.string().min(1).max(256),
    sessionId: z.string().min(1).max(200),
    /**
     * The run and step the view writes for. When given, every `store` gets a deterministic id
     * (from user, run, step and output key), so a retried or stalled node finds what it stored
     * before instead of storing it again. Default none (fresh ids).
     */
    run: z.object({ runId: z.string().min(1).max(300), step: z.string().min(1).max(300) }).strict().optional(),
  })
  .strict();
export type Tenant = z.infer<typeof Tenant>;

/** Input of `TenantArtifacts.store`: the store's input without `sessionId` (always the tenant's). */
export type TenantStoreInput = Omit<StoreArtifactInput, 'sessionId'> & {
  /**
   * Names this output within its node (e.g. `output`, `dag:nightly_box`); with a run-bound view it
   * makes the artifact id deterministic. Default: the call's position within this node run
   * (`#1`, `#2`, …), deterministic as long as the node stores in the same order.
   */
  outputKey?: string;
};

/** What a tenant view needs from the full store (implemented by ArtifactStore). */
export interface TenantBackend {
  peek(artifactId: string): Promise<Artifact>;
  get(artifactId: string): Promise<Artifact>;
  getContent(artifactId: string): Promise<{ artifact: Artifact; body: Readable }>;
  getBuffer(artifactId: string): Promise<Buffer>;
  getText(artifactId: string): Promise<string>;
  getJson<T = unknown>(artifactId: string): Promise<T>;
  list(sessionId: string, options?: ListArtifactsOptions): Promise<ArtifactPage>;
  storeFor(input: StoreArtifactInput, once: { parts: string[] } | undefined): Promise<Artifact>;
}

/** session id → its owner's user id, or null when the session does not exist. */
export type SessionOwnerLookup = (sessionId: string) => Promise<string | null>;

/**
 * The artifact store as one user's session sees it: the only store workflow nodes get. An artifact
 * whose session belongs to another user (or to no live session) answers exactly like an unknown id
 * — NotFoundError — whatever the id came from: message text, an LLM tool call, a chain parameter or
 * a nested spec. Artifacts of the user's other sessions stay readable (the API lets a user attach
 * them). Everything stored goes into the tenant's session; parents must be visible too.
 */
export class TenantArtifacts {
  readonly tenant: Tenant;
  private readonly owners = new Map<string, Promise<string | null>>();
  private ordinal = 0;

  constructor(
    private readonly backend: TenantBackend,
    tenant: Tenant,
    private readonly ownerOf: SessionOwnerLookup | undefined,
  ) {
    this.tenant = parseOrThrow(Tenant, tenant, 'tenant');
  }

  /** Metadata without counting an access; NotFoundError unless visible. */
  async peek(artifactId: string): Promise<Artifact> {
    return this.visible(artifactId);
  }

  /** Metadata, counting the access; NotFoundError unless visible. */
  async get(artifactId: string): Promise<Artifact> {
    await this.visible(artifactId);
    return this.backend.get(artifactId);
  }

  /** Metadata and content stream; NotFoundError unless visible. */
  async getContent(artifactId: string): Promise<{ artifact: Artifact; body: Readable }> {
    await this.visible(artifactId);
    return this.backend.getContent(artifactId);
  }

  async getBuffer(artifactId: string): Promise<Buffer> {
    await this.visible(artifactId);
    return this.backend.getBuffer(artifactId);
  }

  async getText(artifactId: string): Promise<string> {
    await this.visible(artifactId);
    return this.backend.getText(artifactId);
  }

  async getJson<T = unknown>(artifactId: string): Promise<T> {
    await this.visible(artifactId);
    return this.backend.getJson<T>(artifactId);
  }

  /** A page of the tenant's session's artifacts. */
  async list(options: ListArtifactsOptions = {}): Promise<ArtifactPage> {
    return this.backend.list(this.tenant.sessionId, options);
  }

  /**
   * Stores an artifact in the tenant's session. Every parent must be visible (else NotFoundError).
   * With a run-bound view the id is deterministic and a repeat returns the artifact stored first.
   */
  async store(input: TenantStoreInput): Promise<Artifact> {
    const { outputKey, ...rest } = input;
    const key = outputKey ?? `#${++this.ordinal}`;
    for (const p of new Set(rest.parentArtifacts ?? [])) await this.visible(p);
    const run = this.tenant.run;
    const once = run ? { parts: ['node-output', this.tenant.userId, run.runId, run.step, key] } : undefined;
    return this.backend.storeFor({ ...rest, sessionId: this.tenant.sessionId } as StoreArtifactInput, once);
  }

  /** The artifact if the tenant may see it, else NotFoundError (the same answer as an unknown id). */
  private async visible(artifactId: string): Promise<Artifact> {
    const notFound = () => new NotFoundError(`artifact ${String(artifactId).slice(0, 100)} not found`);
    if (typeof artifactId !== 'string' || !ARTIFACT_ID_PATTERN.test(artifactId)) throw notFound();
    let a: Artifact;
    try {
      a = await this.backend.peek(artifactId);
    } catch (err) {
      if (err instanceof NotFoundError) throw notFound();
      throw err;
    }
    if (a.sessionId === this.tenant.sessionId) return a;
    if (!this.ownerOf || (await this.owner(a.sessionId)) !== this.tenant.userId) throw notFound();
    return a;
  }

  private owner(sessionId: string): Promise<string | null> {
    let p = this.owners.get(sessionId);
    if (!p) {
      p = this.ownerOf!(sessionId);
      this.owners.set(sessionId, p);
      p.catch(() => this.owners.delete(sessionId));
    }
    return p;
  }
}
