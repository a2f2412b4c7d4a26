import type { OrchestratorResult } from '../../src/assistant/orchestrator.js';
import type { Runtime } from '../../src/runtime/create-runtime.js';

/**
 * A scripted Messages API answer for one turn. Artifact values may be placeholders resolved from
 * the artifacts listed in the request: `$attached` (the first listed: the message's attachment) or
 * `$kind:<kind>` (the first, i.e. most recent, of that kind).
 */
export type ScriptedReply =
  | { calls: { tool: string; input: Record<string, unknown> }[] }
  | { text: string }
  /** The message never reaches the model (capability questions are answered first). */
  | 'no-call';

/** What one turn must produce. */
export interface TurnExpectation {
  outcome: OrchestratorResult['outcome'];
  /**
   * Every workflow of the run, in plan order, inserted prerequisites included (a registered chain
   * lists its members). [] for a turn without a run.
   */
  workflows?: string[];
  /** The reply must match each of these. */
  reply?: RegExp[];
  /** …and none of these. */
  notReply?: RegExp[];
  /** Extra checks on the stored artifacts (throw to fail). */
  check?: (t: TurnContext) => Promise<void>;
}

export interface Turn {
  say: string;
  /** Files to upload and attach to this message (repository paths). */
  attach?: string[];
  expect: TurnExpectation;
  /** How the Anthropic router answers this turn (the offline router needs no script). */
  anthropic: ScriptedReply;
}

export interface EvalCase {
  name: string;
  category: 'raw file' | 'follow-up' | 'two files' | 'compound' | 'typo' | 'capability' | 'out of scope' | 'readme' | 'kind mismatch' | 'plain question';
  turns: Turn[];
}

/** What a check sees. */
export interface TurnContext {
  rt: Runtime;
  sessionId: string;
  result: OrchestratorResult;
  /** The text of every artifact of this turn made by `workflow` (e.g. `csv.schema_ddl`). */
  textsOf(workflow: string): Promise<string[]>;
}
