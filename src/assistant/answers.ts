import type { z } from 'zod';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { Plan } from '../planning/plan.js';
import type { RunResult } from '../runtime/job-data.js';
import type { WorkflowRegistry } from '../workflows/registry.js';
import { instanceLabels } from './instance-labels.js';

/**
 * What the finished run says about the user's question, from the workflows that can answer one
 * (`answer` on their definition): e.g. "which jobs have no upstream" → the root jobs of the analysis.
 * Reads only the session's own artifacts. An answerer that throws is skipped: the reply still has the
 * run's summary.
 */
export async function runAnswers(
  question: string,
  result: RunResult,
  plan: Pick<Plan, 'instances'>,
  deps: { registry: WorkflowRegistry; artifacts: ArtifactStore },
  tenant: { userId: string; sessionId: string },
): Promise<string[]> {
  const view = deps.artifacts.forTenant(tenant);
  const readJson = (id: string): Promise<unknown> => view.getJson(id);
  const out: string[] = [];
  // answers about several files (one run per attached file) each say which file they are about
  const labels = instanceLabels(plan.instances, result.outputs);
  for (const [instance, name] of Object.entries(plan.instances)) {
    const output = result.outputs[instance];
    if (!output || !deps.registry.has(name)) continue;
    const wf = deps.registry.get(name);
    if (!wf.answer) continue;
    try {
      const text = await wf.answer(question, output as z.infer<typeof wf.output>, readJson);
      const about = labels.get(instance);
      const labelled = text && about ? `**${about}**: ${text}` : text;
      if (labelled && !out.includes(labelled)) out.push(labelled);
    } catch {
      // no answer: the summary below still says what the run made
    }
  }
  return out;
}
