import type { ArtifactType } from '../artifacts/artifact.js';
import type { StoreArtifactInput } from '../artifacts/store-input.js';
import type { NodeContext, NodeFn, NodeState } from './define-workflow.js';

const ARTIFACT_ID = /^art_[A-Za-z0-9_-]+$/;

export interface WithArtifactsOptions {
  /** Artifact type. Default `result`. */
  type?: ArtifactType;
  /** Field of the node's result whose value is stored. Default `output`. */
  key?: string;
  /** Field the artifact id is returned under (the content itself is dropped). Default `<key>ArtifactId`. */
  as?: string;
  /** Content kind (json, text, csv, …). Default: from the value (json for objects, text for strings). */
  contentType?: StoreArtifactInput['contentType'];
  /** MIME type. Default: from the content kind. */
  mimeType?: string;
  /** File-like name shown to users, from the node's input state and the rest of its result. Default none. */
  name?: (state: NodeState, result: NodeState) => string;
  /** Description stored with the artifact. Default none. */
  description?: string;
  /** Input fields holding the artifacts this one is derived from (lineage). Default: every `art_…` string in the input. */
  parentsFrom?: string[];
  /** Artifact kind (see src/artifacts/artifact-kind.ts). Default: the workflow's `produces[as]`, else guessed from the content. */
  kind?: string;
}

/**
 * The planner's fields for an artifact a node stores: its kind (when known) and where it came from
 * (`ctx.derivation`), so a later identical request can reuse it. Spread into `ctx.artifacts.store()`.
 */
export function artifactKindFields(ctx: NodeContext, kind: string | undefined): Pick<StoreArtifactInput, 'kind' | 'derivation'> {
  return { ...(kind ? { kind } : {}), ...(ctx.derivation ? { derivation: ctx.derivation } : {}) };
}

/**
 * Wraps a node so the value it returns under `key` is stored as an artifact of the session, with
 * lineage to the node's input artifacts; the result then carries the artifact id (under `as` and in
 * `artifacts`) instead of the content. Nodes return large outputs through this, never in job data.
 */
export function withArtifacts(options: WithArtifactsOptions, fn: NodeFn): NodeFn {
  const key = options.key ?? 'output';
  const as = options.as ?? `${key}ArtifactId`;
  return async (state, ctx) => {
    const result = await fn(state, ctx);
    if (!result || result[key] === undefined) return result;
    const { [key]: content, ...rest } = result;
    const parents = options.parentsFrom
      ? options.parentsFrom.map((f) => state[f]).filter((v): v is string => typeof v === 'string' && ARTIFACT_ID.test(v))
      : Object.values(state).filter((v): v is string => typeof v === 'string' && ARTIFACT_ID.test(v));
    // Stored once per run, step and key: a retried or stalled node gets the same artifact back.
    const artifact = await ctx.artifacts.store({
      outputKey: key,
      workflowName: ctx.workflow,
      artifactType: options.type ?? 'result',
      content: content as StoreArtifactInput['content'],
      ...(options.contentType ? { contentType: options.contentType } : {}),
      ...(options.mimeType ? { mimeType: options.mimeType } : {}),
      createdBy: `${ctx.workflow}.${ctx.node}`,
      ...(options.description ? { description: options.description } : {}),
      ...(options.name ? { name: options.name(state, rest) } : {}),
      tags: { runId: ctx.runId, node: ctx.node },
      parentArtifacts: [...new Set(parents)],
      ...artifactKindFields(ctx, options.kind ?? ctx.produces?.[as]),
    });
    const earlier = Array.isArray(rest.artifacts) ? (rest.artifacts as string[]) : [];
    return { ...rest, [as]: artifact.artifactId, artifacts: [...earlier, artifact.artifactId] };
  };
}
