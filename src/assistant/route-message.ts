import type { Job } from 'bullmq';
import type { z } from 'zod';
import { intentsOf, type ArtifactHint, type Intent } from '../llm/llm.js';
import { artifactIdsIn } from '../llm/artifact-params.js';
import type { Session } from '../sessions/session.js';
import { workflowsIn } from '../workflows/registry.js';
import { acceptsOf, type Workflow } from '../workflows/define-workflow.js';
import { isCapabilityQuestion } from './capability-question.js';
import { isFileOverviewQuestion, isHistoryQuestion } from './session-questions.js';
import { HISTORY_MESSAGES, historyReply } from './history-reply.js';
import { kindFamily, toolKindFamilies } from '../llm/offline-intents.js';
import { findMissing } from './missing-params.js';
import type { OrchestratorDeps, OrchestratorJobData } from './orchestrator.js';
import { capabilitiesReply, missingParamsReply, outOfScopeReply } from './reply.js';
import { artifactSlots, canBecomeIn, resolveArtifacts } from './resolve-artifacts.js';
import { hintOf } from './artifact-hints.js';
import { unusedAttachments } from './attachment-fit.js';
import { fanOutOverAttachments } from './fan-out.js';
import { askAgainAbout, followUpName } from './follow-up.js';
import { publishSessionEvent } from '../runtime/events.js';

/** What routing decided for one message. */
export type Routed =
  | { kind: 'reply'; text: string; outcome: 'asked' | 'answered'; workflow: string | null }
  | { kind: 'run'; intents: Intent[]; question?: string };

/** Most recent session artifacts offered to the router and to "it" / "this". */
const RECENT_ARTIFACTS = 20;

/** The orchestrator's own progress: on the job (BullMQ) and to the session's WebSocket clients. */
async function reportProgress(deps: OrchestratorDeps, job: Job, sessionId: string, percent: number, message: string): Promise<void> {
  // the two go to different connections; neither waits for the other
  await Promise.all([
    job.updateProgress(percent),
    publishSessionEvent(deps.redis, deps.keyPrefix, sessionId, { type: 'job.progress', jobId: job.id!, progress: percent, message }),
  ]);
}

/**
 * One user message → a reply (the capability list, an honest "not something I do", a question for
 * what is missing) or the intents to plan and run. Attachments of this message win over anything
 * earlier in the session; a pending question is continued when the message answers it.
 */
export async function routeMessage(deps: OrchestratorDeps, job0: OrchestratorJobData, job: Job): Promise<Routed> {
  // "and SALES_STAGE_LOAD?" after "what does SALES_VALIDATE do?" is that question about SALES_STAGE_LOAD
  const question = await followUpQuestion(deps, job0);
  const d = question ? { ...job0, content: question } : job0;
  // the model reads the conversation itself: it gets the message as the user wrote it
  const routed = await routeContent(deps, d, job, job0.content);
  return routed.kind === 'run' && question ? { ...routed, question } : routed;
}

/** The previous user question asked again about the name a short follow-up gives, or null. */
async function followUpQuestion(deps: OrchestratorDeps, d: OrchestratorJobData): Promise<string | null> {
  const name = followUpName(d.content);
  if (!name) return null;
  const recent = await deps.sessions.getRecentMessages(d.sessionId, 12);
  // the question a chain of follow-ups ("and X?", "and Y?") goes back to
  const previous = recent.filter((m) => m.role === 'user' && m.messageId !== d.messageId && !followUpName(m.content)).pop();
  return previous ? askAgainAbout(previous.content, name) : null;
}

async function routeContent(deps: OrchestratorDeps, d: OrchestratorJobData, job: Job, said: string): Promise<Routed> {
  // Producer.enqueueMessage recorded the user's message (under d.messageId) before enqueueing this job.
  let session = await deps.sessions.get(d.sessionId);
  // reported while the work goes on (awaited before the next report, so reports keep their order)
  const reading = reportProgress(deps, job, d.sessionId, 10, 'reading the session');
  reading.catch(() => undefined); // a failure is thrown where it is awaited, never left unhandled
  const { attached, recent } = await artifactHints(deps, session, d.artifacts);
  if (attached.length) {
    // Attachments become session artifacts, so "it" finds them in the next messages too.
    const ids = attached.map((h) => h.artifactId);
    session = await deps.sessions.updateWith(d.sessionId, (s) => ({ artifactRefs: [...s.artifactRefs.filter((r) => !ids.includes(r)), ...ids].slice(-500) }));
  }
  const capabilities = deps.registry.capabilities();
  if (isCapabilityQuestion(d.content)) {
    await reading;
    return { kind: 'reply', text: capabilitiesReply(capabilities, deps.formats ?? []), outcome: 'answered', workflow: null };
  }
  if (isHistoryQuestion(d.content)) {
    // this message is the newest; what came before it is the history
    const messages = (await deps.sessions.getRecentMessages(d.sessionId, HISTORY_MESSAGES)).filter((m) => m.messageId !== d.messageId);
    const uploads = [...attached, ...recent].filter((a) => !a.workflowName || !isKnown(deps, a.workflowName));
    await reading;
    return { kind: 'reply', text: historyReply(messages, uploads), outcome: 'answered', workflow: null };
  }
  const maxMessages = session.preferences.maxContextMessages;
  const contextSummary = deps.promptSummary
    ? await deps.promptSummary(d.sessionId, maxMessages, session)
    : await deps.sessions.getContextSummary(d.sessionId, maxMessages);
  const pending = session.pendingRequest ?? null;
  const decision = await deps.llm.route({
    message: said,
    contextSummary,
    tools: deps.registry.toolSpecs(),
    artifacts: [...attached, ...recent],
    preferredWorkflows: session.preferences.preferredWorkflows,
    model: deps.sessions.modelFor(session),
    ...(pending ? { pendingWorkflow: pending.workflow, pendingParams: pending.missing } : {}),
  });
  await reading;
  await reportProgress(deps, job, d.sessionId, 30, 'request understood');
  let intents = intentsOf(decision).filter((i) => isKnown(deps, i.tool));
  if (intents.length === 0 && pending && attached.length && isKnown(deps, pending.workflow)) {
    // "here it is" + an attachment answers the pending question: attachments fill its missing artifact parameters.
    const params = attachmentsFor(inputOf(deps, pending.workflow), pending.missing, attached.map((h) => h.artifactId));
    if (Object.keys(params).length) intents = [{ tool: pending.workflow, params }];
  }
  if (intents.length === 0) intents = byQuestion(deps, d.content, attached[0] ?? recent[0]);
  if (intents.length === 0) return { kind: 'reply', text: outOfScopeReply(capabilities), outcome: 'answered', workflow: null };
  intents = asChain(deps, intents);

  // An answer to the pending question continues its request (every intent of it); anything else starts afresh.
  const continuing = pending && intents.length === 1 && intents[0]!.tool === pending.workflow;
  const planned: Intent[] = continuing
    ? (pending.intents ?? [{ workflow: pending.workflow, params: pending.params }]).map((p) =>
        p.workflow === pending.workflow ? { tool: p.workflow, params: { ...pending.params, ...intents[0]!.params } } : { tool: p.workflow, params: p.params },
      )
    : intents;

  const named = new Set(artifactIdsIn(d.content));
  const canBecome = canBecomeIn(deps.registry);
  const specs = new Map(deps.registry.toolSpecs().map((t) => [t.name, t]));
  const slotsOf = (tool: string) => artifactSlots(specs.get(tool)!.inputSchema);
  const resolved = planned.map((intent) => {
    const params = resolveArtifacts({ slots: slotsOf(intent.tool), params: intent.params, named, attached, recent, canBecome });
    return { intent, check: findMissing(inputOf(deps, intent.tool), params) };
  });
  // several files attached that the request takes one at a time: the request for each of them
  const checked = continuing ? resolved : fanOutOverAttachments(resolved, attached, slotsOf, canBecome);
  const asking = checked.filter((c) => c.check.missing.length || c.check.problems.length);
  if (asking.length) {
    const first = asking[0]!;
    await deps.sessions.updateWith(d.sessionId, () => ({
      pendingRequest: {
        workflow: first.intent.tool,
        params: first.check.valid,
        missing: first.check.missing.map((m) => m.name),
        askedAt: new Date().toISOString(),
        messageId: `${d.messageId}.reply`,
        ...(checked.length > 1 ? { intents: checked.map((c) => ({ workflow: c.intent.tool, params: c.check.valid })) } : {}),
      },
    }), { ifVersion: session.version });
    const unused = unusedAttachments(attached, checked.map((c) => c.check.valid), first.intent.tool);
    const text = [...(unused.length ? [unused.join('\n')] : []), ...asking.map((c) => missingParamsReply(c.intent.tool, c.check.missing, c.check.problems))].join('\n\n');
    return { kind: 'reply', text, outcome: 'asked', workflow: first.intent.tool };
  }
  // A complete request: any pending question (for this or another workflow) is settled.
  if (pending) await deps.sessions.updateWith(d.sessionId, () => ({ pendingRequest: null }), { ifVersion: session.version });
  return { kind: 'run', intents: checked.map((c) => ({ tool: c.intent.tool, params: c.check.valid })) };
}

/**
 * A message that names no task but asks a question about the file (the attachment, else the
 * latest): the one workflow taking its kind that recognises the question ("when does X run" with a
 * JIL → jil.parse; of several, the one the others feed), else for "what's in this file?" the
 * overview workflow of its kind; else none.
 */
function byQuestion(deps: OrchestratorDeps, question: string, about: ArtifactHint | undefined): Intent[] {
  const family = kindFamily(about?.kind);
  if (!about || !family) return [];
  const specs = new Map(deps.registry.toolSpecs().map((t) => [t.name, t]));
  const fits = deps.registry.answerers(question).filter((w) => specs.has(w.name) && toolKindFamilies(specs.get(w.name)!).has(family));
  // several: the one the others feed (jil.analyze over jil.parse, which its run includes anyway)
  const accepts = (w: Workflow) => new Set(Object.values(w.input.shape).flatMap((p) => acceptsOf(p as z.ZodType) ?? []));
  const feeds = (from: Workflow, to: Workflow) => Object.values(from.produces).some((k) => accepts(to).has(k));
  const last = fits.length > 1 ? fits.filter((w) => fits.every((o) => o === w || feeds(o, w))) : fits;
  if (last.length === 1) return [{ tool: last[0]!.name, params: {} }];
  const overview = isFileOverviewQuestion(question) ? deps.registry.overviewFor(family) : undefined;
  return overview ? [{ tool: overview.name, params: {} }] : [];
}

/**
 * Intents that together are exactly a registered chain's workflows ("profile it, give me DDL and a
 * quality report") become that chain: its name is what users know, and it passes its parameters on.
 */
function asChain(deps: OrchestratorDeps, intents: Intent[]): Intent[] {
  if (intents.length < 2) return intents;
  // A chain asked for alongside some of its own members ("parse this, analyze it … (the pipeline)") is just the chain.
  for (const i of intents) {
    const chain = deps.registry.getChain(i.tool);
    if (!chain) continue;
    const members = new Set(workflowsIn(chain.spec));
    if (intents.every((o) => o === i || members.has(o.tool))) return [i];
  }
  const asked = new Set(intents.map((i) => i.tool));
  for (const chain of deps.registry.listChains()) {
    const members = new Set(workflowsIn(chain.spec));
    if (members.size !== asked.size || ![...members].every((m) => asked.has(m))) continue;
    const params = Object.assign({}, ...intents.map((i) => i.params)) as Record<string, unknown>;
    const known = Object.fromEntries(Object.entries(params).filter(([k]) => k in chain.input.shape));
    // The chain's artifact parameter takes the first intent's artifact (the upload the chain starts from).
    for (const slot of artifactSlots(deps.registry.toolSpecs().find((t) => t.name === chain.name)!.inputSchema)) {
      const first = Object.values(intents[0]!.params).find((v) => typeof v === 'string' && v.startsWith('art_'));
      if (first) known[slot.name] = first;
    }
    return [{ tool: chain.name, params: known }];
  }
  return intents;
}

function inputOf(deps: OrchestratorDeps, name: string): z.ZodObject {
  return deps.registry.getChain(name)?.input ?? deps.registry.get(name).input;
}

function isKnown(deps: OrchestratorDeps, name: string): boolean {
  return deps.registry.has(name) || Boolean(deps.registry.getChain(name));
}

/** Attached artifact ids, in order, for the missing parameters that take an artifact (`x-artifact`). */
function attachmentsFor(schema: z.ZodObject, missing: string[], attached: string[]): Record<string, string> {
  const queue = [...attached];
  const out: Record<string, string> = {};
  for (const name of missing) {
    const meta = ((schema.shape[name] as z.ZodType | undefined)?.meta?.() ?? {}) as Record<string, unknown>;
    if (meta['x-artifact'] === true && queue.length) out[name] = queue.shift()!;
  }
  return out;
}

/** Attached artifacts (only the session's own), and the session's most recent other ones, newest first. */
async function artifactHints(deps: OrchestratorDeps, session: Session, attachedIds: string[]): Promise<{ attached: ArtifactHint[]; recent: ArtifactHint[] }> {
  const attachedSet = new Set(attachedIds);
  const recentIds = session.artifactRefs.filter((id) => !attachedSet.has(id)).slice(-RECENT_ARTIFACTS).reverse();
  const read = async (ids: string[]) => {
    const hints = await Promise.all(
      ids.map(async (id) => {
        try {
          const a = await deps.artifacts.peek(id);
          return a.sessionId === session.sessionId ? hintOf(a) : null;
        } catch {
          return null; // deleted or expired: not offered to the router
        }
      }),
    );
    return hints.filter((h): h is ArtifactHint => h !== null);
  };
  const [attached, recent] = await Promise.all([read([...attachedSet]), read(recentIds)]);
  return { attached, recent };
}
