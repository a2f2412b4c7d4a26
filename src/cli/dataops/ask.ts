import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../../errors/index.js';
import type { ApiClient } from './client.js';
import { openEventStream, type EventStream, type WireEvent } from './event-stream.js';
import { JobFailedError } from './exit-codes.js';
import { mimeFor } from './mime.js';

export interface AskOptions {
  session?: string;
  attach?: string[];
  json?: boolean;
  /** Seconds to wait for the reply. Default 600. */
  timeout?: number;
  /** Poll the job this often (ms) in case events are missed. Default 2000. */
  pollMs?: number;
}

interface Io {
  stdout: Writable;
  stderr: Writable;
}

interface JobView {
  state: string;
  result: { reply?: string; outcome?: string; workflow?: string | null; artifacts?: string[]; runId?: string | null } | null;
  error: string | null;
}

interface Outcome {
  reply: string;
  workflow: string | null;
  artifacts: string[];
  outcome: string;
}

/** One line on stderr for the events worth showing. */
function describe(e: WireEvent): string | undefined {
  switch (e.type) {
    case 'job.queued':
      return `queued ${String(e.jobId)}`;
    case 'run.started':
      return `run ${String(e.workflow)} started`;
    case 'node.started':
      return `> ${String(e.workflow)}/${String(e.node)} started`;
    case 'node.finished': {
      const n = (e.artifacts as string[] | undefined)?.length ?? 0;
      return `✓ ${String(e.workflow)}/${String(e.node)} finished in ${String(e.ms)} ms${n ? ` (${n} artifact${n === 1 ? '' : 's'})` : ''}`;
    }
    case 'node.failed':
      return `✗ ${String(e.workflow)}/${String(e.node)} failed: ${String(e.error)}${e.willRetry ? ' (retrying)' : ''}`;
    case 'node.skipped':
      return `- ${String(e.step)} skipped: ${String(e.reason)}`;
    case 'artifact.created':
      return `+ artifact ${String(e.artifactId)}${e.name ? ` (${String(e.name)})` : ''}`;
    case 'job.progress':
      return typeof e.message === 'string' ? `… ${e.message}` : undefined;
    case 'run.finished':
      return `run ${String(e.status)}`;
    default:
      return undefined;
  }
}

/**
 * `dataops ask`: uploads attachments (streamed), creates a session when none is given, subscribes
 * to the session's events, sends the message, shows progress on stderr and prints the reply and
 * artifact ids on stdout. The job is also polled, so a missed event never leaves it hanging.
 */
export async function ask(client: ApiClient, message: string, o: AskOptions, io: Io): Promise<void> {
  const files: { path: string; size: number }[] = [];
  for (const path of o.attach ?? []) {
    const s = await stat(path).catch(() => undefined);
    if (!s?.isFile()) throw new ValidationError(`cannot read attachment ${path}`);
    files.push({ path, size: s.size });
  }
  let sessionId = o.session;
  if (!sessionId) {
    sessionId = (await client.json<{ sessionId: string }>('POST', '/v1/sessions', {})).sessionId;
    io.stderr.write(`session ${sessionId} (continue with --session ${sessionId})\n`);
  }
  const attached: string[] = [];
  for (const f of files) {
    const name = basename(f.path);
    const a = await client.upload<{ artifactId: string }>(
      `/v1/sessions/${encodeURIComponent(sessionId)}/artifacts?name=${encodeURIComponent(name)}`,
      createReadStream(f.path),
      f.size,
      mimeFor(f.path),
    );
    attached.push(a.artifactId);
    io.stderr.write(`uploaded ${name} as ${a.artifactId}\n`);
  }

  let jobId: string | undefined;
  const finishedRuns = new Set<string>();
  let runFinished: (() => void) | undefined;
  let settle: ((r: Outcome | Error) => void) | undefined;
  const done = new Promise<Outcome | Error>((resolve) => (settle = resolve));
  const early: WireEvent[] = [];
  const onEvent = (e: WireEvent) => {
    if (!jobId) {
      early.push(e);
      return;
    }
    handle(e);
  };
  const handle = (e: WireEvent) => {
    const line = describe(e);
    if (line && !o.json) io.stderr.write(`${line}\n`);
    if (e.type === 'run.finished' && typeof e.runId === 'string') {
      finishedRuns.add(e.runId);
      runFinished?.();
    }
    if (e.type === 'reply' && e.jobId === jobId) {
      settle?.({ reply: String(e.content), workflow: (e.workflow as string | null) ?? null, artifacts: (e.artifacts as string[]) ?? [], outcome: 'replied' });
    }
    if (e.type === 'job.failed' && e.jobId === jobId) settle?.(new JobFailedError(`the job failed: ${String(e.error)}`));
  };

  let stream: EventStream | undefined;
  try {
    stream = await openEventStream(client, sessionId, onEvent);
  } catch (err) {
    // a refused session is the caller's problem; a missing stream only costs live progress
    if (!(err instanceof Error) || (err.name !== 'ServiceUnavailableError' && err.name !== 'ValidationError')) throw err;
    io.stderr.write(`no live progress (${err.message}); waiting for the job\n`);
  }
  let timer: NodeJS.Timeout | undefined;
  let poller: NodeJS.Timeout | undefined;
  let finished = false;
  try {
    const sent = await client.json<{ messageId: string; jobId: string }>('POST', `/v1/sessions/${encodeURIComponent(sessionId)}/messages`, {
      content: message,
      ...(attached.length ? { artifacts: attached } : {}),
      idempotencyKey: `cli-${randomUUID()}`,
    });
    jobId = sent.jobId;
    for (const e of early.splice(0)) handle(e);

    const poll = async () => {
      try {
        const j = await client.json<JobView>('GET', `/v1/jobs/${encodeURIComponent(sent.jobId)}`);
        if (j.state === 'completed' && j.result) {
          settle?.({
            reply: j.result.reply ?? '',
            workflow: j.result.workflow ?? null,
            artifacts: j.result.artifacts ?? [],
            outcome: j.result.outcome ?? 'completed',
          });
        } else if (j.state === 'failed') settle?.(new JobFailedError(`the job failed: ${j.error ?? 'unknown error'}`));
      } catch {
        // transient; the next poll or an event will settle it
      }
      if (!finished) poller = setTimeout(() => void poll(), o.pollMs ?? 2000);
    };
    poller = setTimeout(() => void poll(), o.pollMs ?? 2000);
    timer = setTimeout(() => settle?.(new JobFailedError(`no reply after ${o.timeout ?? 600} s (job ${sent.jobId})`)), (o.timeout ?? 600) * 1000);

    const r = await done;
    if (r instanceof Error) throw r;
    // the job's own result says whether the work failed (the reply event does not)
    const final = await client.json<JobView>('GET', `/v1/jobs/${encodeURIComponent(sent.jobId)}`).catch(() => undefined);
    const outcome = final?.result?.outcome ?? r.outcome;
    // node events travel on BullMQ's streams and may trail the reply a little: let the run's end show
    const runId = final?.result?.runId;
    if (stream && runId && !finishedRuns.has(runId)) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2000);
        runFinished = () => {
          if (finishedRuns.has(runId)) {
            clearTimeout(t);
            resolve();
          }
        };
      });
    }
    if (o.json) {
      io.stdout.write(`${JSON.stringify({ sessionId, messageId: sent.messageId, jobId: sent.jobId, outcome, workflow: r.workflow, reply: r.reply, artifacts: r.artifacts })}\n`);
    } else {
      io.stdout.write(`${r.reply}\n`);
      for (const id of r.artifacts) io.stdout.write(`artifact ${id}\n`);
    }
    if (outcome === 'failed') throw new JobFailedError(`the ${r.workflow ?? 'requested'} run failed`);
  } finally {
    finished = true;
    clearTimeout(timer);
    clearTimeout(poller);
    stream?.close();
  }
}
