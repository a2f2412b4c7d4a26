import { useEffect, useRef } from 'preact/hooks';
import type { Artifact, Message } from '../api/types';
import { displayName, KIND_LABEL, kindOf } from '../lib/kinds';
import { linkArtifactIds, renderMarkdown } from '../lib/markdown';
import type { RunState } from '../lib/runs';
import { RunGraph } from './run-graph';

export interface ConversationProps {
  messages: Message[];
  runs: RunState[];
  pending: { jobId: string; messageId: string; progress: string | undefined }[];
  artifacts: Map<string, Artifact>;
  onOpenArtifact(id: string): void;
}

function Attachments({ ids, artifacts, onOpen }: { ids: string[]; artifacts: Map<string, Artifact>; onOpen(id: string): void }) {
  if (!ids.length) return null;
  return (
    <ul class="chips" aria-label="Artifacts">
      {ids.map((id) => {
        const a = artifacts.get(id);
        return (
          <li key={id}>
            <button type="button" class="chip" onClick={() => onOpen(id)}>
              {a ? displayName(a) : id}
              {a && <span class="muted small"> · {KIND_LABEL[kindOf(a)]}</span>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** The messages, oldest first; assistant replies as sanitised markdown; each run's graph under the message that started it. */
export function Conversation({ messages, runs, pending, artifacts, onOpenArtifact }: ConversationProps) {
  const end = useRef<HTMLDivElement>(null);
  const count = messages.length + runs.length + pending.length;
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [count]);
  const runsByMessage = new Map<string, RunState[]>();
  const placed = new Set<string>();
  for (const r of runs) {
    const id = r.jobId.startsWith('msg-') ? r.jobId.slice(4) : '';
    if (messages.some((m) => m.messageId === id)) {
      runsByMessage.set(id, [...(runsByMessage.get(id) ?? []), r]);
      placed.add(r.runId);
    }
  }
  const onClick = (e: MouseEvent) => {
    const t = (e.target as HTMLElement).closest('a[data-artifact]');
    if (t) {
      e.preventDefault();
      onOpenArtifact(t.getAttribute('data-artifact')!);
    }
  };

  return (
    <section class="conversation" aria-label="Conversation" aria-live="polite" onClick={onClick}>
      {messages.length === 0 && <p class="muted">No messages yet. Attach a JIL export or a CSV and say what you need, e.g. “convert this autosys file to airflow”.</p>}
      {messages.map((m) => (
        <article key={m.messageId} class={`msg msg-${m.role}`} data-role={m.role}>
          <header class="msg-head">
            <span class="who">{m.role === 'user' ? 'You' : m.role === 'assistant' ? 'Assistant' : 'System'}</span>
            {m.workflow && <span class="badge">{m.workflow}</span>}
            <time class="muted small" dateTime={m.timestamp}>
              {new Date(m.timestamp).toLocaleTimeString()}
            </time>
          </header>
          {m.role === 'user' ? (
            <p class="msg-body plain">{m.content}</p>
          ) : (
            <div class="msg-body markdown" dangerouslySetInnerHTML={{ __html: linkArtifactIds(renderMarkdown(m.content)) }} />
          )}
          <Attachments ids={m.artifacts} artifacts={artifacts} onOpen={onOpenArtifact} />
          {(runsByMessage.get(m.messageId) ?? []).map((r) => (
            <RunGraph key={r.runId} run={r} />
          ))}
        </article>
      ))}
      {runs
        .filter((r) => !placed.has(r.runId))
        .map((r) => (
          <RunGraph key={r.runId} run={r} />
        ))}
      {pending.map((p) => (
        <p key={p.jobId} class="thinking muted" role="status">
          <span class="spinner" aria-hidden="true" /> Working on it{p.progress ? ` — ${p.progress}` : '…'}
        </p>
      ))}
      <div ref={end} />
    </section>
  );
}
