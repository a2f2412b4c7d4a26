import { useState } from 'preact/hooks';
import type { Api } from '../api/client';
import type { Session } from '../api/types';

export function sessionTitle(s: Session): string {
  const t = s.metadata.title;
  if (typeof t === 'string' && t.trim()) return t;
  return `Session ${new Date(s.createdAt).toLocaleString()}`;
}

export interface SessionListProps {
  id: string;
  api: Api;
  sessions: Session[];
  current: string | null;
  renameable: boolean;
  onSelect(id: string): void;
  onCreate(): void;
  onChanged(): void;
}

/** The caller's sessions, most recently active first (the API's order), with new, rename and delete. */
export function SessionList({ id, api, sessions, current, renameable, onSelect, onCreate, onChanged }: SessionListProps) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);

  const remove = async (s: Session) => {
    if (!window.confirm(`Delete "${sessionTitle(s)}" and its messages?`)) return;
    try {
      await api.deleteSession(s.sessionId);
      if (current === s.sessionId) onSelect('');
      onChanged();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const rename = async (e: Event, s: Session) => {
    e.preventDefault();
    try {
      await api.renameSession(s, draft.trim().slice(0, 200));
      setRenaming(null);
      onChanged();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <nav class="sessions" id={id} aria-label="Sessions">
      <div class="sessions-head">
        <h2>Sessions</h2>
        <button type="button" class="primary" onClick={onCreate}>
          New session
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {sessions.length === 0 && <p class="muted small">No sessions yet.</p>}
      <ul>
        {sessions.map((s) => (
          <li key={s.sessionId} class={s.sessionId === current ? 'active' : ''}>
            {renaming === s.sessionId ? (
              <form class="rename" onSubmit={(e) => rename(e, s)}>
                <label class="visually-hidden" for={`rename-${s.sessionId}`}>
                  New name
                </label>
                <input
                  id={`rename-${s.sessionId}`}
                  value={draft}
                  maxLength={200}
                  autoFocus
                  onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
                  onKeyDown={(e) => e.key === 'Escape' && setRenaming(null)}
                />
                <button type="submit">Save</button>
              </form>
            ) : (
              <>
                <a
                  href={`#/s/${encodeURIComponent(s.sessionId)}`}
                  aria-current={s.sessionId === current ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    onSelect(s.sessionId);
                  }}
                >
                  <span class="title">{sessionTitle(s)}</span>
                  <span class="muted small">
                    {s.messageCount} messages · {new Date(s.lastActive).toLocaleTimeString()}
                  </span>
                </a>
                <span class="row-actions">
                  {renameable && (
                    <button
                      type="button"
                      class="icon"
                      title="Rename"
                      onClick={() => {
                        setDraft(sessionTitle(s));
                        setRenaming(s.sessionId);
                      }}
                    >
                      <span aria-hidden="true">✎</span>
                      <span class="visually-hidden">Rename {sessionTitle(s)}</span>
                    </button>
                  )}
                  <button type="button" class="icon" title="Delete" onClick={() => remove(s)}>
                    <span aria-hidden="true">✕</span>
                    <span class="visually-hidden">Delete {sessionTitle(s)}</span>
                  </button>
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
