import type { Artifact } from '../artifacts/artifact.js';
import type { ArtifactHint } from '../llm/llm.js';

/** What the router and the artifact resolution see of a stored artifact. */
export function hintOf(a: Artifact): ArtifactHint {
  return {
    artifactId: a.artifactId,
    name: a.name ?? null,
    contentType: a.mimeType || a.contentType,
    workflowName: a.workflowName,
    kind: a.kind,
  };
}
