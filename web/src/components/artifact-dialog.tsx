import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from '../api/client';
import type { Artifact, Lineage } from '../api/types';
import { downloadBlob } from '../lib/download';
import { displayName, formatBytes, KIND_LABEL, kindOf } from '../lib/kinds';
import { ArtifactViewer } from '../viewers/artifact-viewer';

export interface ArtifactDialogProps {
  api: Api;
  artifactId: string;
  known: Artifact | undefined;
  onOpen(id: string): void;
  onClose(): void;
}

function LineageLinks({ title, items, onOpen }: { title: string; items: Artifact[]; onOpen(id: string): void }) {
  return (
    <div>
      <h3>{title}</h3>
      {items.length === 0 ? (
        <p class="muted small">none</p>
      ) : (
        <ul class="lineage-list">
          {items.map((a) => (
            <li key={a.artifactId}>
              <button type="button" class="link" onClick={() => onOpen(a.artifactId)}>
                {displayName(a)}
              </button>{' '}
              <span class="muted small">{KIND_LABEL[kindOf(a)]}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** One artifact in a modal dialog: the viewer for its kind, download, and its lineage (click to follow). */
export function ArtifactDialog({ api, artifactId, known, onOpen, onClose }: ArtifactDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [artifact, setArtifact] = useState<Artifact | undefined>(known);
  const [lineage, setLineage] = useState<Lineage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  useEffect(() => {
    let live = true;
    setError(null);
    setLineage(null);
    setArtifact(known);
    api.lineage(artifactId).then(
      (l) => {
        if (!live) return;
        setLineage(l);
        setArtifact(l.artifact);
      },
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
    };
  }, [artifactId]);

  const download = async () => {
    if (!artifact) return;
    try {
      downloadBlob(await api.content(artifact.artifactId), (displayName(artifact).split('/').pop() ?? 'artifact').replace(/[^\w.-]+/g, '_'));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const parents = lineage ? lineage.ancestors.filter((a) => lineage.edges.some((e) => e.parent === a.artifactId && e.child === artifactId)) : [];
  const children = lineage ? lineage.descendants.filter((a) => lineage.edges.some((e) => e.child === a.artifactId && e.parent === artifactId)) : [];

  return (
    <dialog ref={ref} class="viewer" aria-labelledby="viewer-title" onClose={onClose} onCancel={onClose}>
      <header class="viewer-head">
        <div>
          <h2 id="viewer-title">{artifact ? displayName(artifact) : artifactId}</h2>
          {artifact && (
            <p class="muted small">
              {KIND_LABEL[kindOf(artifact)]} · {artifact.workflowName} · {formatBytes(artifact.sizeBytes)} · {new Date(artifact.createdAt).toLocaleString()}
            </p>
          )}
        </div>
        <span class="spacer" />
        <button type="button" onClick={download} disabled={!artifact}>
          Download
        </button>
        <button type="button" onClick={() => ref.current?.close()} autoFocus>
          Close
        </button>
      </header>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="viewer-body">
        <div class="viewer-main">{artifact && <ArtifactViewer key={artifact.artifactId} api={api} artifact={artifact} onOpen={onOpen} />}</div>
        <aside class="lineage" aria-label="Lineage">
          <LineageLinks title="Made from" items={parents} onOpen={onOpen} />
          <LineageLinks title="Used by" items={children} onOpen={onOpen} />
        </aside>
      </div>
    </dialog>
  );
}
