import { Readable } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Services } from '../infra/services.js';
import type { Logger } from '../logger.js';
import { CycleError } from '../errors/cycle-error.js';
import { NotFoundError } from '../errors/not-found-error.js';
import { PayloadTooLargeError } from '../errors/payload-too-large-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { ARTIFACT_ID_PATTERN, ArtifactSessionId, type Artifact, type Lineage } from './artifact.js';
import { ArtifactTable } from './artifact-table.js';
import { BlobRefs } from './blob-refs.js';
import { isStreamContent } from './content-kind.js';
import { isS3NotFound } from './dynamo-errors.js';
import { expiryFrom, newArtifactId, onceArtifactId } from './keys.js';
import { findCycle, walk } from './lineage-graph.js';
import { listArtifacts, type ArtifactPage } from './list-query.js';
import { abortStaleMultipartUploads } from './multipart.js';
import {
  LineageOptions,
  ListArtifactsOptions,
  ShareOptions,
  StoreArtifactInput,
  parseOrThrow,
  type LineageOptions as LineageOptionsIn,
  type ListArtifactsOptions as ListArtifactsOptionsIn,
  type ShareOptions as ShareOptionsIn,
  type StoreArtifactInput as StoreArtifactInputIn,
} from './store-input.js';
import { TenantArtifacts, type SessionOwnerLookup, type Tenant } from './tenant-artifacts.js';
import { writeArtifact } from './write-artifact.js';

/** Constructor options of ArtifactStore (`config.artifacts` plus the services). */
export interface ArtifactStoreOptions {
  services: Services;
  /** Days until a new artifact expires (DATAOPS_ARTIFACT_TTL_DAYS; config default 30). */
  ttlDays: number;
  /** Largest content accepted, in bytes (DATAOPS_ARTIFACT_MAX_BYTES; config default 1 GiB). */
  maxBytes: number;
  /** Component logger. Default: none. */
  log?: Logger;
  /**
   * Multipart part size for streamed uploads, ≥ 5 MiB (raised so `maxBytes` fits in S3's 10,000
   * parts). Default 5 MiB.
   */
  partSizeBytes?: number;
  /** Parts uploaded concurrently; memory held is about (queueSize + 2) × partSizeBytes. Default 4. */
  queueSize?: number;
  /** Largest artifact `getJson`/`getText`/`getBuffer` will load into memory. Default 64 MiB. */
  maxInlineBytes?: number;
  /**
   * Who owns a session (user id, or null when it does not exist), for tenant views: a view shows
   * artifacts of its own session and, through this lookup, of the same user's other sessions.
   * Default none: a view shows its own session's artifacts only.
   */
  sessionOwner?: SessionOwnerLookup;
  /**
   * Age past which `abortStaleUploads` aborts an open multipart upload (one a crashed process left),
   * in ms; must exceed the longest upload (DATAOPS_MULTIPART_MAX_AGE_MS). Default 24 hours.
   */
  multipartMaxAgeMs?: number;
}

const MiB = 1024 * 1024;

/**
 * Artifact content in S3, metadata in DynamoDB, lineage between artifacts, sharing across sessions by
 * reference (the blobs table holds each object's set of referring artifacts) and expiry. See src/artifacts/README.md for the write orders.
 */
export class ArtifactStore {
  private readonly services: Services;
  private readonly ttlDays: number;
  private readonly maxBytes: number;
  private readonly log: Logger | undefined;
  private readonly partSizeBytes: number;
  private readonly queueSize: number;
  private readonly maxInlineBytes: number;
  private readonly table: ArtifactTable;
  private readonly blobs: BlobRefs;
  private readonly sessionOwner: SessionOwnerLookup | undefined;
  private readonly multipartMaxAgeMs: number;

  constructor(options: ArtifactStoreOptions) {
    this.services = options.services;
    this.ttlDays = options.ttlDays;
    this.maxBytes = options.maxBytes;
    this.log = options.log?.child({ component: 'artifacts' });
    this.partSizeBytes = Math.max(5 * MiB, Math.ceil(this.maxBytes / 10_000), options.partSizeBytes ?? 5 * MiB);
    this.queueSize = Math.max(1, options.queueSize ?? 4);
    this.maxInlineBytes = options.maxInlineBytes ?? 64 * MiB;
    this.table = new ArtifactTable(this.services);
    this.blobs = new BlobRefs(this.services, this.log);
    this.sessionOwner = options.sessionOwner;
    this.multipartMaxAgeMs = options.multipartMaxAgeMs ?? 86_400_000;
  }

  /**
   * The store as one user's session sees it (what workflow nodes get): another user's artifact is
   * "not found" whatever its id came from, and everything stored goes into the tenant's session.
   * With `tenant.run`, stored ids are deterministic per run, step and output key.
   */
  forTenant(tenant: Tenant): TenantArtifacts {
    return new TenantArtifacts(this, tenant, this.sessionOwner);
  }

  /**
   * Stores content and its metadata; a stream passed as content is always consumed or destroyed. Order (crash-safe): S3 object → blob ref item → parents'
   * reverse-lineage entries → metadata item. A failure after the upload removes what was written.
   */
  async store(input: StoreArtifactInputIn): Promise<Artifact> {
    return this.storeFor(input, undefined);
  }

  /**
   * `store`, optionally exactly once: with `once`, the id is derived from `once.parts`; when that
   * artifact exists it is returned and nothing is written (the stream is discarded), and a crashed
   * earlier attempt's upload and blob entry are reused, never duplicated.
   */
  async storeFor(input: StoreArtifactInputIn, once: { parts: string[] } | undefined): Promise<Artifact> {
    try {
      const artifactId = once ? onceArtifactId(once.parts) : newArtifactId();
      if (once) {
        const existing = await this.table.read(artifactId);
        if (existing) {
          discardStream((input as { content?: unknown } | null)?.content);
          return existing;
        }
      }
      const parsed = parseOrThrow(StoreArtifactInput, input, 'artifact');
      const parents = [...new Set(parsed.parentArtifacts ?? [])];
      if (parents.length) {
        const found = await this.table.readMany(parents);
        const missing = parents.filter((p) => !found.has(p));
        if (missing.length) throw new NotFoundError(`parent artifact(s) not found: ${missing.join(', ')}`, { details: { missing } });
      }
      return await writeArtifact(
        {
          services: this.services,
          table: this.table,
          blobs: this.blobs,
          maxBytes: this.maxBytes,
          partSizeBytes: this.partSizeBytes,
          queueSize: this.queueSize,
          defaultTtlDays: this.ttlDays,
          log: this.log,
        },
        parsed,
        artifactId,
        parents,
        once !== undefined,
      );
    } catch (err) {
      // A stream handed to store() is consumed or destroyed, never left half-read (e.g. an upload).
      discardStream((input as { content?: unknown } | null)?.content);
      throw err;
    }
  }

  /** Metadata, counting the access (atomic `ADD accessCount 1`). NotFoundError when unknown. */
  async get(artifactId: string): Promise<Artifact> {
    this.checkId(artifactId);
    return this.table.touch(artifactId, new Date().toISOString());
  }

  /** Metadata without counting an access. NotFoundError when unknown. */
  async peek(artifactId: string): Promise<Artifact> {
    this.checkId(artifactId);
    const a = await this.table.read(artifactId);
    if (!a) throw new NotFoundError(`artifact ${artifactId} not found`);
    return a;
  }

  /** Metadata (access counted) and the content as a stream straight from S3. */
  async getContent(artifactId: string): Promise<{ artifact: Artifact; body: Readable }> {
    const artifact = await this.get(artifactId);
    try {
      const r = await this.services.s3.send(new GetObjectCommand({ Bucket: this.services.bucket, Key: artifact.s3Key }));
      const body = r.Body;
      if (!body) throw new NotFoundError(`content of artifact ${artifactId} is missing`);
      const readable =
        body instanceof Readable ? body : Readable.fromWeb(body.transformToWebStream() as unknown as WebReadableStream<Uint8Array>);
      return { artifact, body: readable };
    } catch (err) {
      if (isS3NotFound(err)) throw new NotFoundError(`content of artifact ${artifactId} is missing`, { cause: err });
      throw err;
    }
  }

  /** Whole content as bytes (refuses artifacts larger than `maxInlineBytes`; stream those). */
  async getBuffer(artifactId: string): Promise<Buffer> {
    const { artifact, body } = await this.getContent(artifactId);
    if (artifact.sizeBytes > this.maxInlineBytes) {
      body.destroy();
      throw new PayloadTooLargeError(
        `artifact ${artifactId} is ${artifact.sizeBytes} bytes, more than ${this.maxInlineBytes} that can be loaded at once; use getContent() to stream it`,
        { details: { sizeBytes: artifact.sizeBytes, limitBytes: this.maxInlineBytes } },
      );
    }
    return readAll(body);
  }

  /** Whole content as UTF-8 text. */
  async getText(artifactId: string): Promise<string> {
    return (await this.getBuffer(artifactId)).toString('utf8');
  }

  /** Whole content parsed as JSON; ValidationError when it is not JSON. */
  async getJson<T = unknown>(artifactId: string): Promise<T> {
    const text = await this.getText(artifactId);
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new ValidationError(`artifact ${artifactId} does not hold JSON`, { cause: err });
    }
  }

  /** A page of a session's artifacts, newest first, optionally filtered. */
  async list(sessionId: string, options: ListArtifactsOptionsIn = {}): Promise<ArtifactPage> {
    const sid = parseOrThrow(ArtifactSessionId, sessionId, 'sessionId');
    const o = parseOrThrow(ListArtifactsOptions, options, 'list options');
    return listArtifacts(this.services, { sessionId: sid, ...o });
  }

  /**
   * Records that `parentId` was used to make `childId`. Idempotent. CycleError (nothing changed) when
   * the parent already descends from the child, or they are the same. Both sets are updated with
   * atomic `ADD`s, so concurrent links never lose each other; after writing, the cycle check runs
   * again and the edge is withdrawn if a concurrent link closed a cycle.
   */
  async link(parentId: string, childId: string): Promise<Artifact> {
    this.checkId(parentId);
    this.checkId(childId);
    const found = await this.table.readMany([parentId, childId]);
    const parent = found.get(parentId);
    const child = found.get(childId);
    if (!parent) throw new NotFoundError(`artifact ${parentId} not found`);
    if (!child) throw new NotFoundError(`artifact ${childId} not found`);
    if (!child.parentArtifacts.includes(parentId)) {
      const cycle = await findCycle(this.table, parent, childId);
      if (cycle) throw this.cycleError(parentId, childId, cycle);
    }
    // Reverse index first: a crash in between leaves a stale child entry, which readers verify.
    await this.table.editSet(parentId, 'childArtifacts', 'ADD', childId);
    const existed = await this.table.editSet(childId, 'parentArtifacts', 'ADD', parentId);
    if (!existed) {
      const fresh = await this.table.read(parentId);
      const cycle = fresh ? await findCycle(this.table, fresh, childId) : undefined;
      if (cycle) {
        await this.table.editSet(childId, 'parentArtifacts', 'DELETE', parentId).catch(() => undefined);
        await this.table.editSet(parentId, 'childArtifacts', 'DELETE', childId).catch(() => undefined);
        throw this.cycleError(parentId, childId, cycle);
      }
    }
    return this.peek(childId);
  }

  /** The artifact with its ancestors and/or descendants (breadth-first, at most `maxDepth` levels). */
  async lineage(artifactId: string, options: LineageOptionsIn = {}): Promise<Lineage> {
    const o = parseOrThrow(LineageOptions, options, 'lineage options');
    const artifact = await this.peek(artifactId);
    const up = o.direction !== 'descendants' ? await walk(this.table, artifact, 'up', o.maxDepth) : undefined;
    const down = o.direction !== 'ancestors' ? await walk(this.table, artifact, 'down', o.maxDepth) : undefined;
    const edges = new Map<string, { parent: string; child: string }>();
    for (const e of [...(up?.edges ?? []), ...(down?.edges ?? [])]) edges.set(`${e.parent}>${e.child}`, e);
    return { artifact, ancestors: up?.nodes ?? [], descendants: down?.nodes ?? [], edges: [...edges.values()] };
  }

  /**
   * A new artifact in `targetSessionId` that refers to the same S3 object (no copy). The copy's id
   * joins the blob's set of referrers first, so deleting the original never removes content the copy needs.
   */
  async share(artifactId: string, targetSessionId: string, options: ShareOptionsIn = {}): Promise<Artifact> {
    const target = parseOrThrow(ArtifactSessionId, targetSessionId, 'targetSessionId');
    const o = parseOrThrow(ShareOptions, options, 'share options');
    const original = await this.peek(artifactId);
    const copyId = newArtifactId();
    await this.blobs.acquire(original.s3Key, copyId);
    const now = new Date();
    const copy: Artifact = {
      ...original,
      artifactId: copyId,
      sessionId: target,
      createdAt: now.toISOString(),
      createdBy: o.createdBy ?? `shared_from_${artifactId}`,
      description: original.description ?? `Shared from ${artifactId}`,
      parentArtifacts: [artifactId],
      childArtifacts: [],
      derivedFrom: artifactId,
      expiresAt: expiryFrom(now, o.ttlDays === undefined ? this.ttlDays : o.ttlDays),
      accessCount: 0,
      lastAccessed: now.toISOString(),
    };
    try {
      // Reverse lineage entry; if the original was deleted meanwhile the copy is still valid.
      await this.table.editSet(artifactId, 'childArtifacts', 'ADD', copy.artifactId).catch((err: unknown) => {
        if (!(err instanceof NotFoundError)) throw err;
      });
      await this.table.create(copy);
    } catch (err) {
      await this.blobs.release(original.s3Key, copyId).catch((e: unknown) => this.log?.warn({ err: e, s3Key: original.s3Key }, 'release after failed share'));
      throw err;
    }
    this.log?.debug({ artifactId: copy.artifactId, from: artifactId, sessionId: target }, 'artifact shared');
    return copy;
  }

  /**
   * Deletes the metadata, then drops the content reference; the S3 object goes when no artifact
   * refers to it any more. NotFoundError when unknown. Artifacts derived from it keep working.
   */
  async delete(artifactId: string): Promise<void> {
    this.checkId(artifactId);
    const gone = await this.table.remove(artifactId);
    const deletedObject = await this.blobs.release(gone.s3Key, artifactId);
    for (const p of gone.parentArtifacts) {
      await this.table.editSet(p, 'childArtifacts', 'DELETE', artifactId).catch(() => undefined);
    }
    this.log?.debug({ artifactId, deletedObject }, 'artifact deleted');
  }

  /** Deletes every artifact whose `expiresAt` is before `now` (via `delete`); returns how many. */
  async cleanupExpired(now: Date = new Date()): Promise<number> {
    let deleted = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const r = await this.services.doc.send(
        new ScanCommand({
          TableName: this.services.tables.artifacts,
          FilterExpression: 'expiresAt < :now',
          ProjectionExpression: 'artifactId',
          ExpressionAttributeValues: { ':now': now.toISOString() },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of r.Items ?? []) {
        try {
          await this.delete(String(item.artifactId));
          deleted++;
        } catch (err) {
          if (!(err instanceof NotFoundError)) throw err; // someone else deleted it first
        }
      }
      startKey = r.LastEvaluatedKey;
    } while (startKey);
    if (deleted) this.log?.info({ deleted }, 'expired artifacts deleted');
    return deleted;
  }

  /**
   * Aborts the bucket's multipart uploads initiated more than `multipartMaxAgeMs` before `now` (what
   * a process that died mid-upload left: parts S3 keeps, and bills, until aborted); returns how many.
   */
  async abortStaleUploads(now: Date = new Date()): Promise<number> {
    return abortStaleMultipartUploads(this.services.s3, this.services.bucket, this.multipartMaxAgeMs, now, this.log);
  }

  private checkId(id: unknown): asserts id is string {
    if (typeof id !== 'string') throw new ValidationError('artifact id must be a string');
    if (!ARTIFACT_ID_PATTERN.test(id)) throw new NotFoundError(`artifact ${id.slice(0, 100)} not found`);
  }

  private cycleError(parentId: string, childId: string, cycle: string[]): CycleError {
    return new CycleError(`linking ${parentId} → ${childId} would create a cycle: ${cycle.join(' → ')}`, {
      details: { parent: parentId, child: childId, cycle },
    });
  }
}

function discardStream(content: unknown): void {
  if (!isStreamContent(content)) return;
  if (typeof ReadableStream !== 'undefined' && content instanceof ReadableStream) {
    if (!content.locked) void content.cancel().catch(() => undefined);
    return;
  }
  const s = content as { destroy?: () => void };
  if (typeof s.destroy === 'function') s.destroy();
}
