import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { OrchestratorResult } from '../../src/assistant/orchestrator.js';
import type { EngineHarness } from '../support/engine-harness.js';
import type { FakeAnthropic, FakeReply } from '../support/fake-anthropic.js';
import { NEVER_IN_REPLIES } from './eval-cases.js';
import type { EvalCase, ScriptedReply, Turn } from './eval-types.js';

/** One case's verdict. */
export interface CaseResult {
  name: string;
  category: EvalCase['category'];
  passed: boolean;
  /** What went wrong, per turn (empty when it passed). */
  problems: string[];
}

export interface EvalReport {
  router: string;
  results: CaseResult[];
  passed: number;
  total: number;
  turns: number;
  seconds: number;
}

const USER = 'eval-user';

/** Uploads a repository file to the session the way the API stores an upload. */
async function upload(h: EngineHarness, sessionId: string, path: string): Promise<string> {
  const name = basename(path);
  const csv = /\.(csv|tsv|psv)$/i.test(name);
  const a = await h.rt.artifacts.store({
    sessionId,
    workflowName: 'upload',
    content: readFileSync(path),
    contentType: csv ? 'csv' : 'text',
    mimeType: csv ? 'text/csv' : 'text/plain',
    name,
    createdBy: USER,
  });
  return a.artifactId;
}

async function runTurn(h: EngineHarness, sessionId: string, turn: Turn, calls: Map<string, number> | null): Promise<string[]> {
  const problems: string[] = [];
  const attached: string[] = [];
  for (const path of turn.attach ?? []) attached.push(await upload(h, sessionId, path));
  const before = calls?.get(turn.say) ?? 0;
  const { jobId } = await h.rt.producer.enqueueMessage({ sessionId, userId: USER, content: turn.say, artifacts: attached });
  const status = await h.waitForJob(jobId, 60_000);
  if (status.state !== 'completed') return [`job ${status.state}: ${status.error ?? ''}`];
  const result = status.result as OrchestratorResult;
  const e = turn.expect;
  if (result.outcome !== e.outcome) problems.push(`outcome ${result.outcome}, expected ${e.outcome}`);
  if (status.outcome !== result.outcome) problems.push(`job outcome ${String(status.outcome)} differs from the result's ${result.outcome}`);
  if (e.workflows && JSON.stringify(result.workflows) !== JSON.stringify(e.workflows)) {
    problems.push(`plan ${JSON.stringify(result.workflows)}, expected ${JSON.stringify(e.workflows)}`);
  }
  for (const re of e.reply ?? []) if (!re.test(result.reply)) problems.push(`reply does not match ${re}`);
  for (const re of [...(e.notReply ?? []), ...NEVER_IN_REPLIES]) if (re.test(result.reply)) problems.push(`reply matches ${re}`);
  if (calls) {
    const asked = (calls.get(turn.say) ?? 0) - before;
    if (turn.anthropic === 'no-call' && asked !== 0) problems.push('the model was asked, but this turn needs no model');
    if (turn.anthropic !== 'no-call' && asked === 0) problems.push('the model was never asked (the offline fallback answered)');
  }
  if (e.check && problems.length === 0) {
    try {
      await e.check({
        rt: h.rt,
        sessionId,
        result,
        textsOf: async (workflow) => {
          const out: string[] = [];
          for (const id of result.artifacts) {
            const a = await h.rt.artifacts.peek(id);
            if (a.workflowName === workflow) out.push(await h.rt.artifacts.getText(id));
          }
          return out;
        },
      });
    } catch (err) {
      problems.push(`check: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  if (problems.length) problems.push(`reply was: ${JSON.stringify(result.reply.slice(0, 400))}`);
  return problems;
}

/** Runs every case (each in its own session, `concurrency` at a time) and reports. */
export async function runEval(h: EngineHarness, router: string, cases: readonly EvalCase[], options: { concurrency?: number; calls?: Map<string, number> } = {}): Promise<EvalReport> {
  const started = Date.now();
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= cases.length) return;
      const c = cases[i]!;
      const problems: string[] = [];
      try {
        const { sessionId } = await h.rt.sessions.create(USER);
        for (const [n, turn] of c.turns.entries()) {
          const p = await runTurn(h, sessionId, turn, options.calls ?? null);
          if (p.length) {
            problems.push(...p.map((x) => `turn ${n + 1} ("${turn.say}"): ${x}`));
            break;
          }
        }
      } catch (err) {
        problems.push(`error: ${(err as Error).message}`);
      }
      results[i] = { name: c.name, category: c.category, passed: problems.length === 0, problems };
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return {
    router,
    results,
    passed: results.filter((r) => r.passed).length,
    total: results.length,
    turns: cases.reduce((n, c) => n + c.turns.length, 0),
    seconds: (Date.now() - started) / 1000,
  };
}

/** The report as the console shows it: the pass rate, then every failure. */
export function formatReport(r: EvalReport): string {
  const pct = r.total ? ((100 * r.passed) / r.total).toFixed(1) : '0';
  const lines = [`assistant eval (${r.router}): ${r.passed}/${r.total} cases passed (${pct}%), ${r.turns} messages, ${r.seconds.toFixed(1)} s`];
  for (const x of r.results.filter((y) => !y.passed)) lines.push(`  ✗ [${x.category}] ${x.name}`, ...x.problems.map((p) => `      ${p}`));
  return lines.join('\n');
}

/** Placeholders in scripted inputs, resolved from the artifacts listed in the request. */
function resolveInput(input: Record<string, unknown>, listed: { id: string; kind: string | null }[]): Record<string, unknown> {
  const one = (v: unknown): unknown => {
    if (v === '$attached') return listed[0]?.id ?? v;
    if (typeof v === 'string' && v.startsWith('$kind:')) return listed.find((l) => l.kind === v.slice(6))?.id ?? v;
    if (Array.isArray(v)) return v.map(one);
    return v;
  };
  return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, one(v)]));
}

/**
 * Scripts the fake Messages API from the cases: the reply for a request is the scripted answer of
 * the turn whose text the user message carries. Returns how often each turn's text reached it.
 */
export function scriptFake(fake: FakeAnthropic, cases: readonly EvalCase[]): Map<string, number> {
  const scripts = new Map<string, ScriptedReply>();
  for (const c of cases) {
    for (const t of c.turns) {
      const prior = scripts.get(t.say);
      if (prior !== undefined && JSON.stringify(prior) !== JSON.stringify(t.anthropic)) {
        throw new Error(`two turns say "${t.say}" with different scripts: give one of them other words`);
      }
      scripts.set(t.say, t.anthropic);
    }
  }
  const calls = new Map<string, number>();
  fake.respondWith((body) => {
    const messages = body.messages as { content: string }[] | undefined;
    const content = String(messages?.[0]?.content ?? '');
    const [text = '', list = ''] = content.split('\n\nAttached artifacts:\n');
    const script = scripts.get(text);
    if (script === undefined || script === 'no-call') return undefined;
    calls.set(text, (calls.get(text) ?? 0) + 1);
    const listed = list
      .split('\n')
      .map((line) => /^- (art_\S+)(?: \((.*)\))?$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ id: m[1]!, kind: /(?:^|, )kind ([\w.]+)/.exec(m[2] ?? '')?.[1] ?? null }));
    if ('text' in script) return { kind: 'text', text: script.text } satisfies FakeReply;
    return { kind: 'tool_uses', calls: script.calls.map((c) => ({ name: c.tool, input: resolveInput(c.input, listed) })) } satisfies FakeReply;
  });
  return calls;
}
