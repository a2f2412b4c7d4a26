import { useState } from 'preact/hooks';
import type { Api } from '../api/client';
import type { Artifact } from '../api/types';
import { displayName, formatBytes, KIND_LABEL, kindOf } from '../lib/kinds';
import { Checkpoints } from './checkpoints';

export interface ArtifactPanelProps {
  api: Api;
  sessionId: string;
  artifacts: Artifact[];
  onOpen(id: string): void;
  onRefresh(): void;
  onRestored(): void;
}

/** The session's artifacts (newest first) with a filter, and the session's checkpoints. */
export function ArtifactPanel({ api, sessionId, artifacts, onOpen, onRefresh, onRestored }: ArtifactPanelProps) {
  const [filter, setFilter] = useState('');
  const q = filter.trim().toLowerCase();
  const shown = artifacts.filter((a) => !q || `${displayName(a)} ${KIND_LABEL[kindOf(a)]} ${a.workflowName}`.toLowerCase().includes(q));
  return (
    <aside class="side" aria-label="Artifacts and checkpoints">
      <section class="artifacts" aria-labelledby="artifacts-title">
        <div class="side-head">
          <h2 id="artifacts-title">Artifacts</h2>
          <button type="button" class="icon" onClick={onRefresh} title="Reload">
            <span aria-hidden="true">⟳</span>
            <span class="visually-hidden">Reload artifacts</span>
          </button>
        </div>
        <label class="visually-hidden" for="artifact-filter">
          Filter artifacts
        </label>
        <input id="artifact-filter" type="search" placeholder="Filter" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
        {shown.length === 0 && <p class="muted small">{artifacts.length ? 'Nothing matches.' : 'Uploads and results appear here.'}</p>}
        <ul class="artifact-list">
          {shown.map((a) => (
            <li key={a.artifactId}>
              <button type="button" class="artifact-item" data-artifact-id={a.artifactId} onClick={() => onOpen(a.artifactId)}>
                <span class="name">{displayName(a)}</span>
                <span class="muted small">
                  <span class={`kind kind-${kindOf(a).replace('.', '-')}`}>{KIND_LABEL[kindOf(a)]}</span> · {a.workflowName} · {formatBytes(a.sizeBytes)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      <Checkpoints api={api} sessionId={sessionId} onRestored={onRestored} />
    </aside>
  );
}
