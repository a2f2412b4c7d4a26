import { useState } from 'preact/hooks';

interface JilJob {
  name: string;
  type: string | null;
  box: string | null;
  attributes: Record<string, unknown>;
  condition: { raw: string } | null;
  line?: number;
}
interface ParsedJil {
  jobs: JilJob[];
  warnings?: { message: string; line?: number }[];
  errors?: { message: string; line?: number }[];
}

function isParsed(d: unknown): d is ParsedJil {
  return typeof d === 'object' && d !== null && Array.isArray((d as ParsedJil).jobs);
}

const str = (v: unknown) => (v === undefined || v === null ? '' : Array.isArray(v) ? v.join(', ') : String(v));

/** Parsed JIL as a searchable table of jobs (name, type, box, machine, command, condition, schedule). */
export function JilTable({ data }: { data: unknown }) {
  const [q, setQ] = useState('');
  if (!isParsed(data)) return <p class="error">This does not look like parsed JIL.</p>;
  const needle = q.trim().toLowerCase();
  const rows = data.jobs.filter((j) => {
    if (!needle) return true;
    return [j.name, j.type, j.box, j.attributes.machine, j.attributes.command, j.condition?.raw, j.attributes.owner, j.attributes.description]
      .map(str)
      .join(' ')
      .toLowerCase()
      .includes(needle);
  });
  return (
    <div class="jil-table">
      <div class="toolbar">
        <label for="jil-search">Search jobs</label>
        <input id="jil-search" type="search" value={q} placeholder="name, box, machine, command, condition…" onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        <span class="muted small" role="status">
          {rows.length} of {data.jobs.length} jobs
          {data.warnings?.length ? ` · ${data.warnings.length} warnings` : ''}
          {data.errors?.length ? ` · ${data.errors.length} errors` : ''}
        </span>
      </div>
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Jobs">
        <table>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Type</th>
              <th scope="col">Box</th>
              <th scope="col">Machine</th>
              <th scope="col">Command / watch file</th>
              <th scope="col">Condition</th>
              <th scope="col">Schedule</th>
              <th scope="col">Line</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((j) => (
              <tr key={j.name}>
                <th scope="row">{j.name}</th>
                <td>{str(j.type)}</td>
                <td>{str(j.box)}</td>
                <td>{str(j.attributes.machine)}</td>
                <td class="mono">{str(j.attributes.command ?? j.attributes.watch_file)}</td>
                <td class="mono">{j.condition?.raw ?? ''}</td>
                <td>{[str(j.attributes.days_of_week), str(j.attributes.start_times)].filter(Boolean).join(' @ ')}</td>
                <td>{j.line ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {(data.warnings?.length ?? 0) > 0 && (
        <details>
          <summary>Warnings</summary>
          <ul>
            {data.warnings!.map((w, i) => (
              <li key={i}>
                {w.line ? `line ${w.line}: ` : ''}
                {w.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
