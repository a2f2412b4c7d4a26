import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api/client';
import type { Checkpoint } from '../api/types';

const LABEL = /^[A-Za-z0-9_.-]{1,64}$/;

/** Named checkpoints of the session context: create, list, restore. */
export function Checkpoints({ api, sessionId, onRestored }: { api: Api; sessionId: string; onRestored(): void }) {
  const [items, setItems] = useState<Checkpoint[]>([]);
  const [label, setLabel] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    try {
      setItems((await api.listCheckpoints(sessionId)).items);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEffect(() => {
    void load();
  }, [sessionId]);

  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setNote(null);
    if (!LABEL.test(label)) {
      setError('Use 1-64 letters, digits, _ . or -');
      return;
    }
    try {
      await api.createCheckpoint(sessionId, label);
      setNote(`Saved checkpoint ${label}.`);
      setLabel('');
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const restore = async (l: string) => {
    setError(null);
    try {
      await api.restoreCheckpoint(sessionId, l);
      setNote(`Restored the context of ${l}.`);
      onRestored();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section class="checkpoints" aria-labelledby="checkpoints-title">
      <h2 id="checkpoints-title">Checkpoints</h2>
      <form class="inline" onSubmit={create}>
        <label for="checkpoint-label" class="visually-hidden">
          Checkpoint label
        </label>
        <input id="checkpoint-label" placeholder="label, e.g. before-refactor" value={label} maxLength={64} onInput={(e) => setLabel((e.target as HTMLInputElement).value)} />
        <button type="submit">Save</button>
      </form>
      {error && (
        <p class="error small" role="alert">
          {error}
        </p>
      )}
      {note && (
        <p class="muted small" role="status">
          {note}
        </p>
      )}
      <ul class="checkpoint-list">
        {items.map((c) => (
          <li key={c.label}>
            <span>
              <strong>{c.label}</strong> <span class="muted small">{new Date(c.createdAt).toLocaleString()}</span>
            </span>
            <button type="button" onClick={() => restore(c.label)}>
              Restore<span class="visually-hidden"> {c.label}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
