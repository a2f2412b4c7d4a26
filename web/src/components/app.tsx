import { useCallback, useEffect, useState } from 'preact/hooks';
import { Api } from '../api/client';
import type { Session } from '../api/types';
import { loadToken, saveToken } from '../lib/token';
import { useHashSession } from '../lib/use-hash-session';
import { SessionList } from './session-list';
import { SessionView } from './session-view';
import { SignIn } from './sign-in';

/** Does the server have `PATCH /v1/sessions/:id` (rename)? Read from its OpenAPI document. */
async function canRename(): Promise<boolean> {
  try {
    const res = await fetch('/openapi.json');
    if (!res.ok) return false;
    const doc = (await res.json()) as { paths?: Record<string, Record<string, unknown>> };
    return Boolean(doc.paths?.['/v1/sessions/{id}']?.patch);
  } catch {
    return false;
  }
}

export function App() {
  const [api, setApi] = useState<Api | null>(() => {
    const t = loadToken();
    return t ? new Api(t) : null;
  });
  const [sessions, setSessions] = useState<Session[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [renameable, setRenameable] = useState(false);
  const [current, setCurrent] = useHashSession();
  const [navOpen, setNavOpen] = useState(false);

  const refresh = useCallback(async () => {
    if (!api) return;
    try {
      const page = await api.listSessions();
      setSessions(page.items);
      setError(null);
    } catch (err) {
      if ((err as { status?: number }).status === 401) signOut();
      else setError((err as Error).message);
    }
  }, [api]);

  const signOut = () => {
    saveToken(null);
    setApi(null);
    setSessions([]);
    setCurrent(null);
  };

  useEffect(() => {
    void refresh();
    if (api) void canRename().then(setRenameable);
  }, [api]);

  if (!api) {
    return (
      <SignIn
        onSignedIn={(a) => {
          saveToken(a.token);
          setApi(a);
        }}
      />
    );
  }

  const session = sessions.find((s) => s.sessionId === current) ?? null;
  const create = async () => {
    try {
      const s = await api.createSession();
      await refresh();
      setCurrent(s.sessionId);
      setNavOpen(false);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <div class={`shell${navOpen ? ' nav-open' : ''}`}>
      <a class="skip-link" href="#composer-input">
        Skip to the message box
      </a>
      <header class="topbar">
        <button type="button" class="icon nav-toggle" aria-expanded={navOpen} aria-controls="sessions-nav" onClick={() => setNavOpen(!navOpen)}>
          <span aria-hidden="true">☰</span>
          <span class="visually-hidden">Sessions</span>
        </button>
        <span class="brand">DataOps Agent</span>
        <span class="spacer" />
        {sessions[0] && <span class="muted small">signed in as {sessions[0].userId}</span>}
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <SessionList
        id="sessions-nav"
        api={api}
        sessions={sessions}
        current={current}
        renameable={renameable}
        onSelect={(id) => {
          setCurrent(id);
          setNavOpen(false);
        }}
        onCreate={create}
        onChanged={refresh}
      />
      {error && (
        <p class="error banner" role="alert">
          {error}
        </p>
      )}
      {current ? (
        <SessionView key={current} api={api} sessionId={current} session={session} onActivity={refresh} onMissing={() => setCurrent(null)} />
      ) : (
        <main class="empty-main" id="main">
          <h1>Welcome</h1>
          <p>Pick a session on the left or start a new one, then drop a JIL export or a CSV and ask for what you need.</p>
          <button type="button" class="primary" onClick={create}>
            New session
          </button>
        </main>
      )}
    </div>
  );
}
