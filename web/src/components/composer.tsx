import { useRef, useState } from 'preact/hooks';
import type { Api } from '../api/client';
import type { Artifact } from '../api/types';
import { formatBytes } from '../lib/kinds';

interface Upload {
  key: string;
  file: File;
  fraction: number;
  artifact?: Artifact;
  error?: string;
  abort?: () => void;
}

export interface ComposerProps {
  api: Api;
  sessionId: string;
  busy: boolean;
  onSend(content: string, artifacts: string[]): Promise<void>;
  onUploaded(): void;
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line. Files come from the picker or are
 * dropped anywhere on the box; each uploads at once (streamed, with progress) and rides along with
 * the next message.
 */
export function Composer({ api, sessionId, busy, onSend, onUploaded }: ComposerProps) {
  const [text, setText] = useState('');
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const picker = useRef<HTMLInputElement>(null);

  const update = (key: string, patch: Partial<Upload>) => setUploads((u) => u.map((x) => (x.key === key ? { ...x, ...patch } : x)));
  const add = (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const key = `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`;
      const handle = api.upload(sessionId, file, (fraction) => update(key, { fraction }));
      setUploads((u) => [...u, { key, file, fraction: 0, abort: handle.abort }]);
      handle.promise.then(
        (artifact) => {
          update(key, { artifact, fraction: 1 });
          onUploaded();
        },
        (err: Error) => update(key, { error: err.message }),
      );
    }
  };
  const uploading = uploads.some((u) => !u.artifact && !u.error);

  const submit = async () => {
    const content = text.trim();
    if (!content || sending || uploading) return;
    setSending(true);
    setError(null);
    try {
      await onSend(
        content,
        uploads.flatMap((u) => (u.artifact ? [u.artifact.artifactId] : [])),
      );
      setText('');
      setUploads([]);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setSending(false);
    }
  };

  return (
    <form
      class={`composer${dragging ? ' dragging' : ''}`}
      aria-label="Send a message"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        if (e.dataTransfer?.files.length) add(e.dataTransfer.files);
      }}
    >
      {uploads.length > 0 && (
        <ul class="uploads" aria-label="Attachments">
          {uploads.map((u) => (
            <li key={u.key} class={u.error ? 'failed' : u.artifact ? 'done' : 'busy'}>
              <span class="name">{u.file.name}</span>
              <span class="muted small">{formatBytes(u.file.size)}</span>
              <progress max={1} value={u.fraction} aria-label={`Upload of ${u.file.name}`} />
              <span class="small">{u.error ? u.error : u.artifact ? 'attached' : `${Math.round(u.fraction * 100)} %`}</span>
              <button
                type="button"
                class="icon"
                onClick={() => {
                  if (!u.artifact && !u.error) u.abort?.();
                  setUploads((all) => all.filter((x) => x.key !== u.key));
                }}
              >
                <span aria-hidden="true">✕</span>
                <span class="visually-hidden">Remove {u.file.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="compose-row">
        <input ref={picker} type="file" multiple class="visually-hidden" id="file-picker" tabIndex={-1} aria-hidden="true" onChange={(e) => {
          const input = e.target as HTMLInputElement;
          if (input.files?.length) add(input.files);
          input.value = '';
        }} />
        <button type="button" onClick={() => picker.current?.click()} title="Attach files (or drop them here)">
          Attach
        </button>
        <label for="composer-input" class="visually-hidden">
          Message
        </label>
        <textarea
          id="composer-input"
          rows={2}
          value={text}
          placeholder="Ask, e.g. “convert this autosys file to airflow” — Enter sends, Shift+Enter for a new line; drop files here"
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        <button type="submit" class="primary" disabled={sending || uploading || !text.trim()}>
          Send
        </button>
      </div>
      {error && (
        <p class="error small" role="alert">
          {error}
        </p>
      )}
      {busy && <p class="visually-hidden">The assistant is working on an earlier message.</p>}
    </form>
  );
}
