import { z } from 'zod';
import { acceptsOf, isArtifactParam, type Workflow } from '../workflows/define-workflow.js';

/** One artifact parameter of a workflow, as the planner sees it. */
export interface ArtifactParamDecl {
  name: string;
  /** Kinds it accepts; undefined = any kind (no planning for it). */
  accepts: readonly string[] | undefined;
  required: boolean;
}

/** What the planner reads from a workflow's declarations, computed once per workflow. */
export interface WorkflowDecl {
  artifactParams: readonly ArtifactParamDecl[];
  /** Parameters that must have a value when the workflow starts (no default, not optional). */
  required: readonly string[];
  /** Every declared parameter. */
  fields: ReadonlySet<string>;
  /** Keys the workflow's output adds to the state; `'*'` when its output schema is open. */
  outputKeys: ReadonlySet<string> | '*';
}

const cache = new WeakMap<Workflow, WorkflowDecl>();

/** The declarations of a workflow: artifact parameters with their kinds, required fields, output keys. */
export function declOf(wf: Workflow): WorkflowDecl {
  let d = cache.get(wf);
  if (d) return d;
  const shape = wf.input.shape as Record<string, z.ZodType>;
  const artifactParams: ArtifactParamDecl[] = [];
  const required: string[] = [];
  for (const [name, schema] of Object.entries(shape)) {
    const req = !schema.safeParse(undefined).success;
    if (req) required.push(name);
    if (isArtifactParam(schema)) artifactParams.push({ name, accepts: acceptsOf(schema), required: req });
  }
  d = { artifactParams, required, fields: new Set(Object.keys(shape)), outputKeys: outputKeysOf(wf.output) };
  cache.set(wf, d);
  return d;
}

function outputKeysOf(schema: z.ZodType): ReadonlySet<string> | '*' {
  if (!(schema instanceof z.ZodObject)) return '*';
  const catchall = (schema.def as { catchall?: z.ZodType }).catchall;
  // an open object (passthrough/loose) may add any key
  if (catchall && !(catchall instanceof z.ZodNever)) return '*';
  return new Set(Object.keys(schema.shape));
}
