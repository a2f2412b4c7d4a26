import type { z } from 'zod';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { Plan } from '../planning/plan.js';
import type { RunResult } from '../runtime/job-data.js';
import type { Workflow } from '../workflows/define-workflow.js';
import type { WorkflowRegistry } from '../workflows/registry.js';
import { artifactIdsIn } from '../client/ownership.js';
import { instanceLabels } from './instance-labels.js';

/**
 * What the finished run says about the user's question, from the workflows that can answer one
 * (`answer` on their definition): e.g. "which jobs have no upstream" → the root jobs of the analysis.
 * A workflow whose artifact the run read from earlier in the session, instead of running it again,
 * answers too when it declares `answerReads` ("what runs after X and when does Y run?" in a session
 * that parsed the file already: the analysis answers the first part, the earlier parse the second).
 * Reads only the session's own artifacts. An answerer that throws is skipped: the reply still has the
 * run's summary.
 */
export async function runAnswers(
  question: string,
  result: RunResult,
  plan: Pick<Plan, 'instances' | 'steps'>,
  deps: { registry: WorkflowRegistry; artifacts: ArtifactStore },
  tenant: { userId: string; sessionId: string },
): Promise<string[]> {
  const view = deps.artifacts.forTenant(tenant);
  const readJson = (id: string): Promise<unknown> => view.getJson(id);
  const out: string[] = [];
  // answers about several files (one run per attached file) each say which file they are about
  const labels = instanceLabels(plan.instances, result.outputs);
  const ask = async (wf: Workflow, output: unknown, instance: string) => {
    if (!wf.answer) return;
    try {
      const text = await wf.answer(question, output as z.infer<typeof wf.output>, readJson);
      const about = labels.get(instance);
      const labelled = text && about ? `**${about}**: ${text}` : text;
      if (labelled && !out.includes(labelled)) out.push(labelled);
    } catch {
      // no answer: the summary below still says what the run made
    }
  };
  for (const [instance, name] of Object.entries(plan.instances)) {
    const output = result.outputs[instance];
    if (!output || !deps.registry.has(name)) continue;
    await ask(deps.registry.get(name), output, instance);
  }
  for (const earlier of await earlierArtifacts(question, plan, result, deps.registry, (id) => view.get(id))) {
    await ask(earlier.workflow, { [earlier.field]: earlier.artifactId }, earlier.instance);
  }
  return out;
}

interface EarlierArtifact {
  artifactId: string;
  /** The workflow that made it (not run again by this run), which answers from it. */
  workflow: Workflow;
  /** Its output field that held the artifact. */
  field: string;
  /** The instance of this run that read it. */
  instance: string;
}

/** Artifacts the run's steps read that it did not make, whose maker (not in this run) answers from them alone. */
async function earlierArtifacts(
  question: string,
  plan: Pick<Plan, 'instances' | 'steps'>,
  result: RunResult,
  registry: WorkflowRegistry,
  meta: (artifactId: string) => Promise<{ kind: string }>,
): Promise<EarlierArtifact[]> {
  const ran = new Set(Object.values(plan.instances));
  // only makers whose cheap question test (if they have one) says they may answer: no artifact read otherwise
  const makers = registry.list().filter((wf) => wf.answerReads.length > 0 && !ran.has(wf.name) && (wf.questions?.(question) ?? true));
  if (makers.length === 0) return [];
  const made = artifactIdsIn(result.outputs);
  const found: EarlierArtifact[] = [];
  const seen = new Set<string>();
  for (const step of plan.steps) {
    for (const artifactId of artifactIdsIn(step.params)) {
      if (made.has(artifactId) || seen.has(artifactId)) continue;
      seen.add(artifactId);
      const kind = await meta(artifactId).then((a) => a.kind, () => null);
      for (const workflow of makers) {
        const field = workflow.answerReads.find((f) => workflow.produces[f] === kind);
        if (field) found.push({ artifactId, workflow, field, instance: step.instance });
      }
    }
  }
  return found;
}
