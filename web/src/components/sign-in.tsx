import { useState } from 'preact/hooks';
import { Api, ApiError } from '../api/client';

export interface SignInProps {
  onSignedIn(api: Api, userId: string): void;
}

/** The token form: an API key (the development key `npm start` printed) or a JWT. */
export function SignIn({ onSignedIn }: SignInProps) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const t = token.trim();
    if (!t) {
      setError('Paste an API key or a JWT.');
      return;
    }
    setBusy(true);
    setError(null);
    const api = new Api(t);
    try {
      const page = await api.listSessions();
      onSignedIn(api, page.items[0]?.userId ?? '');
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'That token was not accepted.' : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <form class="card" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">DataOps Agent</h1>
        <p class="muted">Sign in with an API key or a JWT. Locally, use the development key that <code>npm start</code> printed (also in <code>.dataops/dev-api-key</code>).</p>
        <label for="token">API key or JWT</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellcheck={false}
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
          aria-invalid={error ? 'true' : 'false'}
          aria-describedby={error ? 'sign-in-error' : undefined}
          autoFocus
        />
        {error && (
          <p id="sign-in-error" class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="muted small">The token is kept in this tab only (sessionStorage) and sent as a bearer token.</p>
      </form>
    </main>
  );
}
