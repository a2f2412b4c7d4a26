import { describe, expect, it } from 'vitest';
import type { Artifact } from '../api/types';
import { kindOf } from './kinds';

function artifact(p: Partial<Artifact>): Artifact {
  return {
    artifactId: 'art_00000000-0000-4000-8000-000000000000',
    sessionId: 's',
    workflowName: 'upload',
    artifactType: 'data',
    contentType: 'text',
    mimeType: 'text/plain',
    sizeBytes: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'u',
    description: null,
    parentArtifacts: [],
    childArtifacts: [],
    derivedFrom: null,
    tags: {},
    name: null,
    ...p,
  };
}

describe('kindOf (which viewer an artifact gets)', () => {
  it('uses the server-side kind when there is one', () => {
    expect(kindOf(artifact({ kind: 'csv.profile', name: 'whatever.txt' }))).toBe('csv.profile');
    expect(kindOf(artifact({ kind: 'sql.ddl' }))).toBe('sql.ddl');
  });

  it('infers the kind of artifacts stored without one from workflow, tags, name and media type', () => {
    expect(kindOf(artifact({ name: 'nightly.jil' }))).toBe('jil');
    expect(kindOf(artifact({ name: 'orders.csv', contentType: 'csv', mimeType: 'text/csv' }))).toBe('csv');
    expect(kindOf(artifact({ workflowName: 'jil.parse', name: 'jil.parsed.json', contentType: 'json', mimeType: 'application/json' }))).toBe('jil.parsed');
    expect(kindOf(artifact({ workflowName: 'jil.analyze', name: 'jil-dependencies.mmd', mimeType: 'text/vnd.mermaid' }))).toBe('jil.mermaid');
    expect(kindOf(artifact({ workflowName: 'jil.analyze', name: 'jil-analysis.json', contentType: 'json' }))).toBe('jil.analysis');
    expect(kindOf(artifact({ workflowName: 'jil.to_airflow', name: 'dags/X.py', tags: { kind: 'airflow_dag' } }))).toBe('airflow.dag');
    expect(kindOf(artifact({ workflowName: 'jil.to_airflow', name: 'airflow-report.json', contentType: 'json' }))).toBe('airflow.report');
    expect(kindOf(artifact({ workflowName: 'csv.profile', name: 'profile.json', contentType: 'json' }))).toBe('csv.profile');
    expect(kindOf(artifact({ workflowName: 'csv.quality', name: 'quality-report.json', contentType: 'json' }))).toBe('csv.quality');
    expect(kindOf(artifact({ workflowName: 'csv.schema_ddl', name: 'orders.postgres.sql', mimeType: 'application/sql' }))).toBe('sql.ddl');
    expect(kindOf(artifact({ contentType: 'binary', mimeType: 'application/octet-stream' }))).toBe('binary');
  });

  it('falls back to inference for a kind this app has no viewer for', () => {
    expect(kindOf(artifact({ kind: 'custom.thing', name: 'x.json', contentType: 'json', mimeType: 'application/json' }))).toBe('json');
  });
});
