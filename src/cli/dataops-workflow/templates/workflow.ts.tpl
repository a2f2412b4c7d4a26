import { z } from 'zod';
import { defineWorkflow, param } from '../../define-workflow.js';
import { withArtifacts } from '../../with-artifacts.js';

/*
 * {{name}}: {{descriptionComment}}
 *
 * Made by `dataops-workflow new`. Replace the parameters and `compute{{pascal}}` with what this
 * workflow really does. Describe every parameter and give required ones an `ask` (the question
 * the assistant asks when it is missing): `dataops-workflow validate` checks both.
 */

/**
 * Parameters: each field has a description (router, docs) and what to ask when it is missing.
 *
 * A parameter that takes an uploaded file or another workflow's output is an artifact parameter
 * that declares the kinds it accepts (see src/artifacts/artifact-kind.ts), e.g.
 *
 *   source: artifactParam({ description: 'The parsed JIL.', ask: 'Which JIL?', accepts: ['jil.parsed'] }),
 *
 * Given an artifact of an earlier kind (a raw `jil` upload), the planner inserts the workflows that
 * make the accepted kind (`jil.parse`) before this one, or answers 400 when nothing can; no code
 * of yours is needed for that. Import `artifactParam` from '../../define-workflow.js' to use it.
 */
export const {{pascal}}Input = z.object({
  text: param(z.string().min(1).max(100_000), {
    description: 'The text to work on.',
    ask: 'What text should I work on?',
  }),
});
export type {{pascal}}Input = z.infer<typeof {{pascal}}Input>;

/** What the node computes; stored as an artifact of the session. */
export const {{pascal}}Result = z
  .object({
    characters: z.number().int(),
    words: z.number().int(),
    lines: z.number().int(),
  })
  .strict();
export type {{pascal}}Result = z.infer<typeof {{pascal}}Result>;

/** The workflow's output: the result's artifact id (the content stays in the artifact store) and the word count. */
export const {{pascal}}Output = z.object({
  resultArtifactId: z.string(),
  words: z.number().int(),
  artifacts: z.array(z.string()),
});
export type {{pascal}}Output = z.infer<typeof {{pascal}}Output>;

/** The work itself, as a pure function: no services, easy to test. */
export function compute{{pascal}}(input: {{pascal}}Input): {{pascal}}Result {
  const { text } = input;
  return {
    characters: [...text].length,
    words: text.split(/\s+/).filter(Boolean).length,
    lines: text.split(/\r\n|\r|\n/).length,
  };
}

export const {{identifier}} = defineWorkflow({
  name: {{nameLiteral}},
  description: {{descriptionLiteral}},
  examples: [
{{examplesLines}}  ],
  input: {{pascal}}Input,
  output: {{pascal}}Output,
  tags: ['custom'],
  // The kind of artifact each output field holds: withArtifacts records it on what it stores, and
  // the planner can put this workflow before any step whose artifact parameter accepts that kind.
  produces: { resultArtifactId: {{nameLiteral}} },
  // The queue its nodes run on: workers serve queues (`workers/nodes.ts <queue>`), so a heavy
  // family can be scaled apart from the rest. DATAOPS_WORKFLOW_QUEUES overrides it.
  queue: {{queueLiteral}},
  nodes: {
    compute: {
      // withArtifacts stores what the node returns under `output` as an artifact of the session
      // (with lineage to any artifact ids in the input) and hands on only its id, as
      // `resultArtifactId`: large results never travel in job data.
      run: withArtifacts(
        { as: 'resultArtifactId', contentType: 'json', description: {{artifactDescriptionLiteral}} },
        async (state, ctx) => {
          const input = {{pascal}}Input.parse(state);
          await ctx.progress(10, 'computing');
          const result = compute{{pascal}}(input);
          ctx.log.debug({ words: result.words }, {{computedLogLiteral}});
          return { output: result, words: result.words };
        },
      ),
    },
  },
  summarize: (o) => `Counted ${o.words} words; the full counts are stored as ${o.resultArtifactId}.`,
});
