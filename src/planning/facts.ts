import { z } from 'zod';
import { ArtifactKind, Derivation } from '../artifacts/artifact-kind.js';

/**
 * What the planner knows about one artifact. The planner does no I/O: the caller (the producer,
 * the orchestrator) reads these through the artifact store, scoped to the run's user and session,
 * and passes them in. JSON, so a caller can keep them with a job and compile the same plan again.
 */
export const ArtifactFact = z
  .object({
    artifactId: z.string(),
    kind: ArtifactKind,
    name: z.string().nullable(),
    /** How it was made (null for uploads). */
    derivation: Derivation.nullable().default(null),
    /**
     * Ids of artifacts in the run's session made from this one (its lineage children), each with
     * its own fact in the same map: the planner reuses one whose kind and derivation match instead
     * of running the prerequisite again. Default [].
     */
    derived: z.array(z.string()).default([]),
  })
  .strict();
export type ArtifactFact = z.input<typeof ArtifactFact>;

/** Facts by artifact id: every artifact a spec names, and the descendants that reuse may pick. */
export const ArtifactFacts = z.record(z.string(), ArtifactFact);
export type ArtifactFacts = Readonly<Record<string, ArtifactFact>>;
