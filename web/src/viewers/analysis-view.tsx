import { CodeView } from './code-view';

interface Analysis {
  roots?: string[];
  leaves?: string[];
  cycles?: string[][];
  undefinedJobs?: string[];
  criticalPath?: { length: number; jobs: string[] };
  crossBoxEdges?: unknown[];
  nodes?: unknown[];
}

/** The dependency analysis: the figures that matter first, the full JSON below. */
export function AnalysisView({ data, raw, filename }: { data: unknown; raw: string; filename: string }) {
  const a = data as Analysis;
  const list = (xs: string[] | undefined) => (xs?.length ? xs.join(', ') : 'none');
  return (
    <div class="analysis">
      <dl class="facts">
        <dt>Jobs</dt>
        <dd>{a.nodes?.length ?? '—'}</dd>
        <dt>Roots</dt>
        <dd>{list(a.roots)}</dd>
        <dt>Leaves</dt>
        <dd>{list(a.leaves)}</dd>
        <dt>Critical path</dt>
        <dd>{a.criticalPath ? `${a.criticalPath.length} jobs: ${a.criticalPath.jobs.join(' → ')}` : '—'}</dd>
        <dt>Cycles</dt>
        <dd>{a.cycles?.length ? a.cycles.map((c) => c.join(' → ')).join('; ') : 'none'}</dd>
        <dt>Undefined references</dt>
        <dd>{list(a.undefinedJobs)}</dd>
        <dt>Cross-box edges</dt>
        <dd>{a.crossBoxEdges?.length ?? 0}</dd>
      </dl>
      <details>
        <summary>Full analysis (JSON)</summary>
        <CodeView code={JSON.stringify(JSON.parse(raw), null, 2)} lang="json" filename={filename} />
      </details>
    </div>
  );
}
