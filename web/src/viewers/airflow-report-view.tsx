import { CodeView } from './code-view';

interface Note {
  dagId?: string;
  job?: string;
  message: string;
}
interface Report {
  warnings?: Note[];
  todos?: Note[];
  edges?: { from: string; to: string; status?: string; via?: string }[];
}

function Notes({ title, items }: { title: string; items: Note[] | undefined }) {
  return (
    <section>
      <h3>
        {title} ({items?.length ?? 0})
      </h3>
      {items?.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">DAG</th>
              <th scope="col">Job</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {items.map((n, i) => (
              <tr key={i}>
                <td>{n.dagId ?? ''}</td>
                <td>{n.job ?? ''}</td>
                <td>{n.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted small">none</p>
      )}
    </section>
  );
}

/** How the conversion went: TODOs, warnings and every carried edge. */
export function AirflowReportView({ data, raw, filename }: { data: unknown; raw: string; filename: string }) {
  const r = data as Report;
  return (
    <div class="airflow-report">
      <Notes title="TODOs to review" items={r.todos} />
      <Notes title="Warnings" items={r.warnings} />
      <details>
        <summary>Edges ({r.edges?.length ?? 0})</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Status</th>
              <th scope="col">Via</th>
            </tr>
          </thead>
          <tbody>
            {(r.edges ?? []).map((e, i) => (
              <tr key={i}>
                <td>{e.from}</td>
                <td>{e.to}</td>
                <td>{e.status ?? ''}</td>
                <td>{e.via ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <details>
        <summary>Report (JSON)</summary>
        <CodeView code={JSON.stringify(JSON.parse(raw), null, 2)} lang="json" filename={filename} />
      </details>
    </div>
  );
}
