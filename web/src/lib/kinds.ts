import type { Artifact } from '../api/types';

/**
 * What an artifact holds, in the server's words (`kind` on the artifact metadata: `jil`, `jil.parsed`,
 * `csv.profile`, `sql.ddl`, …). Artifacts stored before kinds existed are recognised from their
 * workflow, node tag, name and media type.
 */
export type ViewerKind =
  | 'jil'
  | 'jil.parsed'
  | 'jil.analysis'
  | 'jil.mermaid'
  | 'airflow.dag'
  | 'airflow.report'
  | 'csv'
  | 'csv.profile'
  | 'csv.quality'
  | 'sql.ddl'
  | 'context.snapshot'
  | 'json'
  | 'text'
  | 'binary';

const KNOWN = new Set<string>([
  'jil',
  'jil.parsed',
  'jil.analysis',
  'jil.mermaid',
  'airflow.dag',
  'airflow.report',
  'csv',
  'csv.profile',
  'csv.quality',
  'sql.ddl',
  'context.snapshot',
  'json',
  'text',
  'binary',
]);

export function kindOf(a: Artifact): ViewerKind {
  if (a.kind && KNOWN.has(a.kind)) return a.kind as ViewerKind;
  const name = (a.name ?? '').toLowerCase();
  const mime = a.mimeType.toLowerCase();
  const wf = a.workflowName;
  const node = a.tags.node ?? '';
  const tagKind = a.tags.kind ?? '';
  if (tagKind === 'airflow_dag' || (wf === 'jil.to_airflow' && name.endsWith('.py'))) return 'airflow.dag';
  if (tagKind === 'airflow_report' || (wf === 'jil.to_airflow' && name.endsWith('.json'))) return 'airflow.report';
  if (mime.startsWith('text/vnd.mermaid') || name.endsWith('.mmd')) return 'jil.mermaid';
  if (wf === 'jil.parse' || name === 'jil.parsed.json') return 'jil.parsed';
  if (wf === 'jil.analyze' || name === 'jil-analysis.json') return 'jil.analysis';
  if (wf === 'csv.profile' || node === 'profile' || name === 'profile.json') return 'csv.profile';
  if (wf === 'csv.quality' || name === 'quality-report.json') return 'csv.quality';
  if (wf === 'csv.schema_ddl' || mime === 'application/sql' || name.endsWith('.sql')) return 'sql.ddl';
  if (a.artifactType === 'context' || wf === 'context') return 'context.snapshot';
  if (/\.(jil|job|jobs)$/.test(name)) return 'jil';
  if (/\.(csv|tsv|psv)$/.test(name) || a.contentType === 'csv' || mime.startsWith('text/csv')) return 'csv';
  if (a.contentType === 'json' || mime.includes('json')) return 'json';
  if (a.contentType === 'text' || mime.startsWith('text/')) return 'text';
  return 'binary';
}

/** A short human label for the kind (the artifact list's badge). */
export const KIND_LABEL: Record<ViewerKind, string> = {
  jil: 'JIL',
  'jil.parsed': 'parsed JIL',
  'jil.analysis': 'JIL analysis',
  'jil.mermaid': 'dependency diagram',
  'airflow.dag': 'Airflow DAG',
  'airflow.report': 'Airflow report',
  csv: 'CSV',
  'csv.profile': 'CSV profile',
  'csv.quality': 'quality report',
  'sql.ddl': 'DDL',
  'context.snapshot': 'snapshot',
  json: 'JSON',
  text: 'text',
  binary: 'file',
};

export function displayName(a: Artifact): string {
  return a.name ?? `${a.workflowName} ${a.artifactId.slice(4, 12)}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}
