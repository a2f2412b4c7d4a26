interface Rule {
  id: string;
  kind: string;
  columns: string[];
  passed: boolean;
  failingCount: number;
  checkedCount: number;
  samples: unknown[];
  message: string;
  error: string | null;
}
interface Report {
  passed: boolean;
  rowCount: number;
  rules: Rule[];
}

/** `line 14 · email = (null) · null` for the report's `{ row, line, values, reason }` samples; JSON otherwise. */
function sampleText(s: unknown): string {
  const x = s as { line?: number; values?: Record<string, unknown>; reason?: string } | null;
  if (!x || typeof x !== 'object' || !x.values) return JSON.stringify(s);
  const values = Object.entries(x.values).map(([k, v]) => `${k} = ${v === null ? '(null)' : JSON.stringify(v)}`);
  return [x.line !== undefined ? `line ${x.line}` : '', ...values, x.reason ?? ''].filter(Boolean).join(' · ');
}

function isReport(d: unknown): d is Report {
  return typeof d === 'object' && d !== null && Array.isArray((d as Report).rules);
}

/** A quality report: one row per rule, pass/fail, failing count and the failing samples. */
export function QualityView({ data }: { data: unknown }) {
  if (!isReport(data)) return <p class="error">This does not look like a quality report.</p>;
  const failed = data.rules.filter((r) => !r.passed).length;
  return (
    <div class="quality">
      <p>
        <span class={`badge ${data.passed ? 'pass' : 'fail'}`}>{data.passed ? 'passed' : 'failed'}</span> {data.rules.length - failed}/{data.rules.length} rules passed over{' '}
        {data.rowCount.toLocaleString()} rows
      </p>
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Rules">
        <table>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Result</th>
              <th scope="col">Failing</th>
              <th scope="col">Message</th>
              <th scope="col">Failing samples</th>
            </tr>
          </thead>
          <tbody>
            {[...data.rules]
              .sort((a, b) => Number(a.passed) - Number(b.passed))
              .map((r) => (
                <tr key={r.id} class={r.passed ? 'pass' : 'fail'}>
                  <th scope="row" class="mono">
                    {r.id}
                  </th>
                  <td>
                    <span class={`badge ${r.passed ? 'pass' : 'fail'}`}>{r.passed ? 'pass' : 'fail'}</span>
                  </td>
                  <td>
                    {r.failingCount.toLocaleString()}
                    {r.checkedCount ? ` / ${r.checkedCount.toLocaleString()}` : ''}
                  </td>
                  <td>{r.error ?? r.message}</td>
                  <td>
                    {r.samples.length ? (
                      <details>
                        <summary>{r.samples.length} samples</summary>
                        <pre class="code small">{r.samples.map(sampleText).join('\n')}</pre>
                      </details>
                    ) : (
                      ''
                    )}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
