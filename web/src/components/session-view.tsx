import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from '../api/client';
import type { Artifact, Message, SessionEvent, Session } from '../api/types';
import { reduceRuns, type RunState } from '../lib/runs';
import { useSessionEvents } from '../lib/use-session-events';
import { ArtifactPanel } from './artifact-panel';
import { ArtifactDialog } from './artifact-dialog';
import { Composer } from './composer';
import { Conversation } from './conversation';
import { sessionTitle } from './session-list';

export interface SessionViewProps {
  api: Api;
  sessionId: string;
  session: Session | null;
  onActivity(): void;
  onMissing(): void;
}

interface Pending {
  jobId: string;
  messageId: string;
}

/** One session: the conversation with its live runs, the composer, and the artifacts side panel. */
export function SessionView({ api, sessionId, session, onActivity, onMissing }: SessionViewProps) {
  const [messages, setMessages] = useState<Message[]>([]);
  const [artifacts, setArtifacts] = useState<Artifact[]>([]);
  const [runs, setRuns] = useState<RunState[]>([]);
  const [pending, setPending] = useState<Pending[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Record<string, string>>({});
  const pendingRef = useRef(pending);
  pendingRef.current = pending;

  const loadMessages = useCallback(async () => {
    try {
      setMessages(await api.listMessages(sessionId));
    } catch (err) {
      if ((err as { status?: number }).status === 404) onMissing();
      else setError((err as Error).message);
    }
  }, [api, sessionId]);
  const loadArtifacts = useCallback(async () => {
    try {
      setArtifacts((await api.listArtifacts(sessionId)).items);
    } catch (err) {
      if ((err as { status?: number }).status !== 404) setError((err as Error).message);
    }
  }, [api, sessionId]);

  useEffect(() => {
    void loadMessages();
    void loadArtifacts();
  }, [loadMessages, loadArtifacts]);

  const settle = (jobId: string) => {
    setPending((p) => p.filter((x) => x.jobId !== jobId));
    void loadMessages();
    void loadArtifacts();
    onActivity();
  };

  const onEvent = (e: SessionEvent) => {
    setRuns((r) => reduceRuns(r, e));
    if (e.type === 'job.progress' && e.message) setProgress((p) => ({ ...p, [e.jobId]: e.message! }));
    if (e.type === 'artifact.created' || e.type === 'run.finished') void loadArtifacts();
    if (e.type === 'reply') {
      setMessages((m) =>
        m.some((x) => x.messageId === e.messageId)
          ? m
          : [...m, { messageId: e.messageId, sessionId, seq: Number.MAX_SAFE_INTEGER, timestamp: e.at, role: 'assistant', content: e.content, workflow: e.workflow, artifacts: e.artifacts }],
      );
      settle(e.jobId);
    }
    if (e.type === 'job.failed') {
      setError(`The request failed: ${e.error}`);
      settle(e.jobId);
    }
  };
  const socket = useSessionEvents(api, sessionId, onEvent, () => {
    // whatever happened while the socket was away
    if (pendingRef.current.length) {
      void loadMessages();
      void loadArtifacts();
    }
  });

  // A safety net under the socket: a pending request whose reply event was missed is settled from the job.
  useEffect(() => {
    if (!pending.length) return;
    const h = window.setInterval(async () => {
      for (const p of pendingRef.current) {
        try {
          const job = await api.getJob(p.jobId);
          if (job.state === 'completed' || job.state === 'failed') settle(p.jobId);
        } catch {
          // next tick
        }
      }
    }, 3000);
    return () => window.clearInterval(h);
  }, [pending.length > 0]);

  const send = async (content: string, attached: string[]) => {
    setError(null);
    const accepted = await api.postMessage(sessionId, content, attached);
    setPending((p) => [...p, { jobId: accepted.jobId, messageId: accepted.messageId }]);
    setMessages((m) => [
      ...m,
      { messageId: accepted.messageId, sessionId, seq: Number.MAX_SAFE_INTEGER, timestamp: new Date().toISOString(), role: 'user', content, workflow: null, artifacts: attached },
    ]);
    onActivity();
  };

  const byId = new Map(artifacts.map((a) => [a.artifactId, a]));
  return (
    <>
      <main class="session" id="main" aria-labelledby="session-title">
        <div class="session-head">
          <h1 id="session-title">{session ? sessionTitle(session) : 'Session'}</h1>
          <span class={`socket socket-${socket}`} role="status" aria-live="polite">
            {socket === 'live' ? 'live' : socket === 'connecting' ? 'connecting…' : 'offline, retrying'}
          </span>
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <Conversation
          messages={messages}
          runs={runs}
          pending={pending.map((p) => ({ ...p, progress: progress[p.jobId] }))}
          artifacts={byId}
          onOpenArtifact={setOpen}
        />
        <Composer api={api} sessionId={sessionId} busy={pending.length > 0} onSend={send} onUploaded={loadArtifacts} />
      </main>
      <ArtifactPanel api={api} sessionId={sessionId} artifacts={artifacts} onOpen={setOpen} onRefresh={loadArtifacts} onRestored={loadMessages} />
      {open && <ArtifactDialog api={api} artifactId={open} known={byId.get(open)} onOpen={setOpen} onClose={() => setOpen(null)} />}
    </>
  );
}
