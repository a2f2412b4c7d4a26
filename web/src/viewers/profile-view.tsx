import Papa from 'papaparse';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api/client';
import type { Artifact } from '../api/types';
import { binValues, Histogram, NullBar, TopValues, type Bin } from './charts';

interface Column {
  index: number;
  name: string;
  inferredType: string;
  nullCount: number;
  nonNullCount: number;
  distinct?: { estimate: number; exact: boolean };
  min?: unknown;
  max?: unknown;
  mean?: number | null;
  topValues?: { value: string; count: number }[];
  histogram?: Bin[] | { bins: Bin[] };
}
interface Profile {
  rowCount: number;
  columnCount: number;
  bytesRead: number;
  complete: boolean;
  dialect?: { delimiter?: string; header?: boolean };
  columns: Column[];
}

const NUMERIC = new Set(['integer', 'decimal', 'float', 'number']);
/** Histograms are computed in the page from the source CSV when the profile has none, up to this size. */
const SAMPLE_BYTES = 16 * 1024 * 1024;

function isProfile(d: unknown): d is Profile {
  return typeof d === 'object' && d !== null && Array.isArray((d as Profile).columns);
}

function ownBins(c: Column): Bin[] | undefined {
  if (!c.histogram) return undefined;
  return Array.isArray(c.histogram) ? c.histogram : c.histogram.bins;
}

/** Histograms of the numeric columns, from the source CSV (the profile's parent artifact). */
function useSourceHistograms(api: Api, artifact: Artifact, p: Profile | null): { bins: Map<number, Bin[]>; note: string | null } {
  const [state, setState] = useState<{ bins: Map<number, Bin[]>; note: string | null }>({ bins: new Map(), note: null });
  useEffect(() => {
    if (!p) return;
    const numeric = p.columns.filter((c) => NUMERIC.has(c.inferredType) && !ownBins(c) && typeof c.min === 'number' && typeof c.max === 'number');
    const sourceId = artifact.parentArtifacts[0];
    if (!numeric.length || !sourceId) return;
    let live = true;
    void (async () => {
      try {
        const src = await api.getArtifact(sourceId);
        if (src.sizeBytes > SAMPLE_BYTES) {
          setState({ bins: new Map(), note: `Histograms are drawn for sources up to ${SAMPLE_BYTES / 1024 / 1024} MB.` });
          return;
        }
        const text = await api.text(sourceId);
        const parsed = Papa.parse<string[]>(text, { delimiter: p.dialect?.delimiter ?? '', skipEmptyLines: true });
        const rows = p.dialect?.header === false ? parsed.data : parsed.data.slice(1);
        const out = new Map<number, Bin[]>();
        for (const c of numeric) {
          const values = rows.map((r) => Number(String(r[c.index] ?? '').replace(/,/g, ''))).filter((v) => Number.isFinite(v));
          out.set(c.index, binValues(values, c.min as number, c.max as number));
        }
        if (live) setState({ bins: out, note: null });
      } catch (err) {
        if (live) setState({ bins: new Map(), note: `No histograms: ${(err as Error).message}` });
      }
    })();
    return () => {
      live = false;
    };
  }, [artifact.artifactId]);
  return state;
}

const fmt = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : String(v));

/** A CSV profile: one row per column with its type, nulls, distinct count, range and small charts. */
export function ProfileView({ data, api, artifact }: { data: unknown; api: Api; artifact: Artifact; onOpen(id: string): void }) {
  const p = isProfile(data) ? data : null;
  const hist = useSourceHistograms(api, artifact, p);
  if (!p) return <p class="error">This does not look like a CSV profile.</p>;
  return (
    <div class="profile">
      <p>
        <strong>{p.rowCount.toLocaleString()}</strong> rows × <strong>{p.columnCount}</strong> columns
        {p.dialect?.delimiter ? ` · delimiter "${p.dialect.delimiter}"` : ''}
        {p.complete ? '' : ' · partial (the file was not read to the end)'}
      </p>
      {hist.note && <p class="muted small">{hist.note}</p>}
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Columns">
        <table class="profile-table">
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Type</th>
              <th scope="col">Nulls</th>
              <th scope="col">Distinct</th>
              <th scope="col">Min</th>
              <th scope="col">Max</th>
              <th scope="col">Mean</th>
              <th scope="col">Distribution</th>
            </tr>
          </thead>
          <tbody>
            {p.columns.map((c) => {
              const bins = ownBins(c) ?? hist.bins.get(c.index);
              return (
                <tr key={c.index} data-column={c.name}>
                  <th scope="row">{c.name}</th>
                  <td>
                    <span class="badge">{c.inferredType}</span>
                  </td>
                  <td>
                    <NullBar nulls={c.nullCount} total={p.rowCount} />
                  </td>
                  <td>
                    {c.distinct ? `${c.distinct.exact ? '' : '≈'}${c.distinct.estimate.toLocaleString()}` : ''}
                  </td>
                  <td class="mono">{fmt(c.min)}</td>
                  <td class="mono">{fmt(c.max)}</td>
                  <td class="mono">{fmt(c.mean)}</td>
                  <td>
                    {bins ? <Histogram bins={bins} label={`Histogram of ${c.name}`} /> : <TopValues values={c.topValues ?? []} total={c.nonNullCount} />}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
