import { z } from 'zod';

/**
 * One capability the assistant can route to: a workflow or a registered chain. `inputSchema` is the
 * JSON Schema of its parameters (from the zod schema); each property may carry `description` and
 * `x-ask` (the question to ask when it is missing).
 */
export const ToolSpec = z
  .object({
    name: z.string().min(1),
    description: z.string(),
    examples: z.array(z.string()).default([]),
    inputSchema: z.record(z.string(), z.unknown()),
    /** `chain` for a registered chain of several workflows (a single clause prefers a workflow on a tie). Default `workflow`. */
    kind: z.enum(['workflow', 'chain']).optional(),
  })
  .strict();
export type ToolSpec = z.infer<typeof ToolSpec>;

/** An artifact the user attached to the message (or that the session already holds). */
export const ArtifactHint = z
  .object({
    artifactId: z.string(),
    name: z.string().nullable().default(null),
    contentType: z.string(),
    workflowName: z.string().optional(),
    /** What it holds for the planner (`jil`, `jil.parsed`, `csv`, `csv.profile`, …), when known. */
    kind: z.string().optional(),
  })
  .strict();
export type ArtifactHint = z.infer<typeof ArtifactHint>;

/** What the router sees for one user message. */
export const RouteRequest = z
  .object({
    message: z.string(),
    /** The session's recent conversation and context, already trimmed to the session's budget. */
    contextSummary: z.string().default(''),
    tools: z.array(ToolSpec),
    /** Attached artifacts first, then recent session artifacts. */
    artifacts: z.array(ArtifactHint).default([]),
    /** Breaks ties between equally good tools (UserPreferences.preferredWorkflows). */
    preferredWorkflows: z.array(z.string()).default([]),
    /** Model to use (UserPreferences.defaultModel); ignored offline. */
    model: z.string().optional(),
    /** When a question for missing parameters is pending, the workflow it was for. */
    pendingWorkflow: z.string().optional(),
    /**
     * Names of the parameters that pending question asked for (optional). Lets a bare answer such as
     * "orders" be taken as the one asked-for parameter.
     */
    pendingParams: z.array(z.string()).optional(),
  })
  .strict();
export type RouteRequest = z.input<typeof RouteRequest>;

/** One thing the user asked for: a tool and the parameters stated for it. */
export const Intent = z
  .object({
    tool: z.string().min(1),
    /** Parameters extracted from the message / context (may be incomplete; the caller validates). */
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type Intent = z.infer<typeof Intent>;

/**
 * The router's answer: every intent of the message, in the order the user wrote them, or none
 * ("no tool fits"). `tool` / `params` repeat the first intent for callers that handle one.
 */
export const RouteDecision = z
  .object({
    /** Chosen tool name (the first intent's), or null when nothing fits. */
    tool: z.string().nullable(),
    /** Parameters of the first intent (may be incomplete; the caller validates). */
    params: z.record(z.string(), z.unknown()).default({}),
    /**
     * Every intent, in the order the user wrote them (the first is `tool` / `params`). Default: just
     * `tool` when it is set. A compound request ("parse this export and write the Airflow files")
     * gives several.
     */
    intents: z.array(Intent).default([]),
    /** 0..1; offline it is the normalised score. */
    confidence: z.number().min(0).max(1),
    /** One sentence on why (shown in debug logs, never required). */
    reason: z.string().default(''),
  })
  .strict();
export type RouteDecision = z.infer<typeof RouteDecision>;

/** Builds a decision from its intents (none → "no tool"), keeping `tool` / `params` in step with the first. */
export function decisionOf(intents: readonly Intent[], confidence: number, reason: string): RouteDecision {
  const first = intents[0];
  return RouteDecision.parse({
    tool: first?.tool ?? null,
    params: first?.params ?? {},
    intents: intents.map((i) => ({ tool: i.tool, params: { ...i.params } })),
    confidence: first ? confidence : 0,
    reason,
  });
}

/** The intents of a decision: `intents` when given, else the single `tool`, else none. */
export function intentsOf(decision: RouteDecision): Intent[] {
  if (decision.intents.length) return decision.intents;
  return decision.tool ? [{ tool: decision.tool, params: decision.params }] : [];
}

export interface CompressOptions {
  /** Token budget for the result (≈ 4 characters per token). Default 2000. */
  maxTokens?: number;
  /** Model to use; ignored offline. */
  model?: string;
}

/**
 * The language-model port. Two implementations: `AnthropicLlm` (Messages API with tool use) and
 * `OfflineLlm` (deterministic, no network). Contract for both:
 * - `route` never throws for an unmatched request: it returns `{ tool: null, intents: [] }`.
 * - `route` returns every intent the message states, in the order the user wrote them.
 * - `compress` keeps every artifact id (`art_…`) and every parameter value it was given, stays within
 *   the budget where possible, and on any failure returns a safe result (never the model's raw text).
 */
export interface LlmClient {
  readonly kind: 'anthropic' | 'offline';
  route(request: RouteRequest): Promise<RouteDecision>;
  compress(context: Record<string, unknown>, options?: CompressOptions): Promise<Record<string, unknown>>;
}
