// The nightly job of a data platform, written once for both ways in: `api` is either the HTTP client
// (`createClient(...)` from dataops-agent/client) or the in-network producer (`producer.forUser(...)`
// from dataops-agent/producer). Their methods have the same names and shapes.
import { writeFile } from 'node:fs/promises';

/**
 * Uploads `csv`, runs `csv.pipeline` (profile, then DDL and a quality report), waits, and writes the
 * DDL to `out`. Resolves with what a scheduler would log.
 * @param {any} api the client or a user's producer
 * @param {{ csv: string, out: string, dialect?: string, night?: string }} o
 */
export async function nightly(api, o) {
  const night = o.night ?? new Date().toISOString().slice(0, 10);
  const { sessionId } = await api.createSession({ metadata: { job: 'nightly-ddl', night } });
  const csv = await api.uploadArtifact(sessionId, { path: o.csv });
  const run = await api.startRun(sessionId, { workflow: 'csv.pipeline', params: { source: csv.artifactId, dialect: o.dialect ?? 'postgres' } });
  const job = await api.waitForJob(run.jobId, { timeoutMs: 120_000 });
  if (job.state !== 'completed') throw new Error(`csv.pipeline failed: ${job.error}`);
  const made = (await api.allArtifacts(sessionId)).filter((a) => a.artifactId !== csv.artifactId);
  const ddl = made.find((a) => a.workflowName === 'csv.schema_ddl');
  if (!ddl) throw new Error('the run made no DDL');
  await writeFile(o.out, await api.artifactText(ddl.artifactId));
  return {
    sessionId,
    jobId: run.jobId,
    ddl: o.out,
    artifacts: made.map((a) => ({ workflowName: a.workflowName, name: a.name, mimeType: a.mimeType, contentType: a.contentType })),
  };
}
