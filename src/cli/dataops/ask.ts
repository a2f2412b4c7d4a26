import type { Writable } from 'node:stream';
import { ValidationError } from '../../errors/validation-error.js';
import { AppError } from '../../errors/app-error.js';
import type { DataOpsClient, Job } from '../../client/http/client.js';
import type { EventStream, WireEvent } from '../../client/http/event-stream.js';
import { prepareUpload } from '../../client/http/upload-source.js';
import { MAX_MESSAGE_CHARS } from '../../client/limits.js';
import { JobFailedError } from './exit-codes.js';

export interface AskOptions {
  session?: string;
  /** Files to upload and attach (each checked before anything is sent). */
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

interface MessageResult {
  reply?: string;
  outcome?: string;
  workflow?: string | null;
  artifacts?: string[];
  runId?: string | null;
}

/** One line on stderr for the events worth showing. */
export function describeEvent(e: WireEvent): string | undefined {
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
      // `willRetry` is true only when BullMQ will run the node again
      return `✗ ${String(e.workflow)}/${String(e.node)} failed: ${String(e.error)}${e.willRetry === true ? ' (retrying)' : ''}`;
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
 * `dataops ask`: checks and uploads attachments (streamed), creates a session when none is given,
 * subscribes to the session's events, sends the message, shows progress on stderr and prints the
 * reply and artifact ids on stdout. Waiting is the client's `waitForJob` (events, polling fallback,
 * a server that goes away ends it with exit 5 within seconds).
 */
export async function ask(client: DataOpsClient, message: string, o: AskOptions, io: Io): Promise<void> {
  if (!message.trim()) throw new ValidationError('the message is empty');
  if (message.length > MAX_MESSAGE_CHARS) {
    throw new ValidationError(`the message is ${message.length} characters long; the server takes at most ${MAX_MESSAGE_CHARS} (attach longer text as a file with -a)`);
  }
  // every attachment is checked before anything is created or sent
  for (const path of o.attach ?? []) await prepareUpload({ path });

  let sessionId = o.session;
  if (!sessionId) {
    sessionId = (await client.createSession()).sessionId;
    io.stderr.write(`session ${sessionId} (continue with --session ${sessionId})\n`);
  }
  const attached: string[] = [];
  for (const path of o.attach ?? []) {
    const a = await client.uploadArtifact(sessionId, { path });
    attached.push(a.artifactId);
    io.stderr.write(`uploaded ${a.name ?? path} as ${a.artifactId}\n`);
  }

  let stream: EventStream | undefined;
  try {
    stream = await client.events(sessionId);
  } catch (err) {
    // a refused session is the caller's problem; a missing stream only costs live progress
    if (!(err instanceof AppError) || (err.code !== 'service_unavailable' && err.code !== 'validation_error')) throw err;
    io.stderr.write(`no live progress (${err.message}); waiting for the job\n`);
  }
  const finishedRuns = new Set<string>();
  let runFinished: (() => void) | undefined;
  const show = (e: WireEvent) => {
    const line = describeEvent(e);
    if (line && !o.json) io.stderr.write(`${line}\n`);
    if (e.type === 'run.finished' && typeof e.runId === 'string') {
      finishedRuns.add(e.runId);
      runFinished?.();
    }
  };
  // events before the job id is known are shown too: they are this session's
  const unsubscribe = stream?.subscribe(show);
  try {
    const sent = await client.sendMessage(sessionId, { content: message, ...(attached.length ? { artifacts: attached } : {}) });
    const job: Job = await client.waitForJob(sent.jobId, {
      timeoutMs: (o.timeout ?? 600) * 1000,
      pollMs: o.pollMs ?? 2000,
      ...(stream ? { stream } : {}),
    });
    if (job.state === 'failed') throw new JobFailedError(`the job failed: ${job.error ?? 'unknown error'}`);
    const r = (job.result ?? {}) as MessageResult;
    // node events travel on BullMQ's streams and may trail the reply a little: let the run's end show
    const runId = r.runId;
    if (stream && !stream.closed && runId && !finishedRuns.has(runId)) {
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
    const artifacts = r.artifacts ?? [];
    const outcome = r.outcome ?? 'completed';
    if (o.json) {
      io.stdout.write(
        `${JSON.stringify({ sessionId, messageId: sent.messageId, jobId: sent.jobId, outcome, workflow: r.workflow ?? null, reply: r.reply ?? '', artifacts })}\n`,
      );
    } else {
      io.stdout.write(`${r.reply ?? ''}\n`);
      for (const id of artifacts) io.stdout.write(`artifact ${id}\n`);
    }
    if (outcome === 'failed') throw new JobFailedError(`the ${r.workflow ?? 'requested'} run failed`);
  } finally {
    unsubscribe?.();
    stream?.close();
  }
}
