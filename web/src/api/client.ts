import type { ApiErrorBody, Artifact, Checkpoint, Lineage, Message, MessageAccepted, Page, Session } from './types';

/** An answer of the API that was not 2xx, with the API's error code and message. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function toError(res: Response): Promise<ApiError> {
  let body: ApiErrorBody | undefined;
  try {
    body = (await res.json()) as ApiErrorBody;
  } catch {
    body = undefined;
  }
  return new ApiError(res.status, body?.error.code ?? 'http_error', body?.error.message ?? `${res.status} ${res.statusText}`);
}

export interface UploadHandle {
  promise: Promise<Artifact>;
  abort(): void;
}

/**
 * The REST API over fetch (same origin), with the bearer token the user signed in with. Uploads use
 * XMLHttpRequest because fetch reports no upload progress.
 */
export class Api {
  constructor(
    readonly token: string,
    private readonly base = '',
  ) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(`${this.base}${path}`, init);
    if (!res.ok) throw await toError(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  listSessions(): Promise<Page<Session>> {
    return this.request('GET', '/v1/sessions?limit=100');
  }
  createSession(): Promise<Session> {
    return this.request('POST', '/v1/sessions', {});
  }
  getSession(id: string): Promise<Session> {
    return this.request('GET', `/v1/sessions/${encodeURIComponent(id)}`);
  }
  /** Renames through `PATCH /v1/sessions/:id`: `metadata.title` (metadata is replaced whole, so the rest is sent along). */
  renameSession(session: Session, title: string): Promise<Session> {
    return this.request('PATCH', `/v1/sessions/${encodeURIComponent(session.sessionId)}`, { metadata: { ...session.metadata, title } });
  }
  deleteSession(id: string): Promise<void> {
    return this.request('DELETE', `/v1/sessions/${encodeURIComponent(id)}`);
  }
  async listMessages(id: string): Promise<Message[]> {
    const out: Message[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page: Page<Message> = await this.request('GET', `/v1/sessions/${encodeURIComponent(id)}/messages?limit=100${q}`);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && out.length < 2000);
    return out;
  }
  postMessage(id: string, content: string, artifacts: string[]): Promise<MessageAccepted> {
    return this.request('POST', `/v1/sessions/${encodeURIComponent(id)}/messages`, {
      content,
      ...(artifacts.length ? { artifacts } : {}),
      idempotencyKey: `web-${crypto.randomUUID()}`,
    });
  }
  getJob(jobId: string): Promise<{ jobId: string; state: string; error: string | null }> {
    return this.request('GET', `/v1/jobs/${encodeURIComponent(jobId)}`);
  }
  listArtifacts(id: string): Promise<Page<Artifact>> {
    return this.request('GET', `/v1/sessions/${encodeURIComponent(id)}/artifacts?limit=100`);
  }
  getArtifact(id: string): Promise<Artifact> {
    return this.request('GET', `/v1/artifacts/${encodeURIComponent(id)}`);
  }
  lineage(id: string): Promise<Lineage> {
    return this.request('GET', `/v1/artifacts/${encodeURIComponent(id)}/lineage?direction=both&maxDepth=10`);
  }
  async content(id: string): Promise<Blob> {
    const res = await fetch(`${this.base}/v1/artifacts/${encodeURIComponent(id)}/content`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!res.ok) throw await toError(res);
    return res.blob();
  }
  async text(id: string): Promise<string> {
    return (await this.content(id)).text();
  }
  listCheckpoints(id: string): Promise<{ items: Checkpoint[] }> {
    return this.request('GET', `/v1/sessions/${encodeURIComponent(id)}/checkpoints`);
  }
  createCheckpoint(id: string, label: string): Promise<Checkpoint> {
    return this.request('POST', `/v1/sessions/${encodeURIComponent(id)}/checkpoints`, { label });
  }
  restoreCheckpoint(id: string, label: string): Promise<unknown> {
    return this.request('POST', `/v1/sessions/${encodeURIComponent(id)}/checkpoints/${encodeURIComponent(label)}/restore`, {});
  }

  /** Streams one file as the request body; `onProgress` gets the fraction sent (0-1). */
  upload(sessionId: string, file: File, onProgress: (fraction: number) => void): UploadHandle {
    const xhr = new XMLHttpRequest();
    const promise = new Promise<Artifact>((resolve, reject) => {
      xhr.open('POST', `${this.base}/v1/sessions/${encodeURIComponent(sessionId)}/artifacts?name=${encodeURIComponent(file.name)}`);
      xhr.setRequestHeader('authorization', `Bearer ${this.token}`);
      xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onload = () => {
        let body: unknown;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = undefined;
        }
        if (xhr.status >= 200 && xhr.status < 300) {
          onProgress(1);
          resolve(body as Artifact);
        } else {
          const e = (body as ApiErrorBody | undefined)?.error;
          reject(new ApiError(xhr.status, e?.code ?? 'http_error', e?.message ?? `upload failed (${xhr.status})`));
        }
      };
      xhr.onerror = () => reject(new ApiError(0, 'network', 'the upload could not reach the server'));
      xhr.onabort = () => reject(new ApiError(0, 'aborted', 'upload cancelled'));
      xhr.send(file);
    });
    return { promise, abort: () => xhr.abort() };
  }

  /** The session's event socket (`?token=`: browsers cannot set headers on a WebSocket). */
  eventsUrl(sessionId: string): string {
    const loc = window.location;
    const proto = loc.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${proto}//${loc.host}${this.base}/v1/sessions/${encodeURIComponent(sessionId)}/events?token=${encodeURIComponent(this.token)}`;
  }
}
