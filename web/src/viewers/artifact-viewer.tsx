import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api/client';
import type { Artifact } from '../api/types';
import { kindOf } from '../lib/kinds';
import { AirflowReportView } from './airflow-report-view';
import { AnalysisView } from './analysis-view';
import { CodeView } from './code-view';
import { JilTable } from './jil-table';
import { MermaidView } from './mermaid-view';
import { ProfileView } from './profile-view';
import { QualityView } from './quality-view';

/** Larger artifacts are not previewed (download them instead). */
const PREVIEW_BYTES = 8 * 1024 * 1024;

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Loads an artifact's content and shows it with the viewer of its kind. */
export function ArtifactViewer({ api, artifact, onOpen }: { api: Api; artifact: Artifact; onOpen(id: string): void }) {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const kind = kindOf(artifact);
  const tooLarge = artifact.sizeBytes > PREVIEW_BYTES || kind === 'binary';

  useEffect(() => {
    if (tooLarge) return;
    let live = true;
    api.text(artifact.artifactId).then(
      (t) => live && setText(t),
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
    };
  }, [artifact.artifactId]);

  if (tooLarge) return <p class="muted">No preview for this artifact ({kind === 'binary' ? 'binary content' : 'too large'}); use Download.</p>;
  if (error) return <p class="error">{error}</p>;
  if (text === null) return <p class="muted" role="status">Loading…</p>;
  const filename = (artifact.name ?? artifact.artifactId).split('/').pop() ?? 'artifact';
  const json = artifact.contentType === 'json' || kind.startsWith('jil.') || kind.startsWith('csv.') || kind.startsWith('airflow.report') ? parse(text) : undefined;

  switch (kind) {
    case 'jil.parsed':
      if (json) return <JilTable data={json} />;
      break;
    case 'jil.mermaid':
      return <MermaidView source={text} filename={filename} />;
    case 'jil.analysis':
      if (json) return <AnalysisView data={json} raw={text} filename={filename} />;
      break;
    case 'airflow.dag':
      return <CodeView code={text} lang="python" filename={filename} />;
    case 'airflow.report':
      if (json) return <AirflowReportView data={json} raw={text} filename={filename} />;
      break;
    case 'sql.ddl':
      return <CodeView code={text} lang="sql" filename={filename} />;
    case 'csv.profile':
      if (json) return <ProfileView data={json} api={api} artifact={artifact} onOpen={onOpen} />;
      break;
    case 'csv.quality':
      if (json) return <QualityView data={json} />;
      break;
    default:
      break;
  }
  if (json !== undefined || kind === 'json' || kind === 'context.snapshot') {
    const pretty = json !== undefined ? JSON.stringify(json, null, 2) : text;
    return <CodeView code={pretty} lang="json" filename={filename} />;
  }
  return <CodeView code={text} lang="plaintext" filename={filename} />;
}
