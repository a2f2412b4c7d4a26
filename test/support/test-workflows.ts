import { z } from 'zod';
import type { Config } from '../../src/config.js';
import { createRedisClient, type RedisClient } from '../../src/infra/redis.js';
import { artifactParam, defineWorkflow, param } from '../../src/workflows/define-workflow.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';
import { ValidationError } from '../../src/errors/validation-error.js';
import { withArtifacts } from '../../src/workflows/with-artifacts.js';

/**
 * Small workflows for engine tests. Each node counts its executions in Redis under
 * `<counterPrefix>runs:<workflow>.<node>` so a test can prove a node ran exactly once.
 */
export function testRegistry(redisConfig: Config['redis'], counterPrefix: string): { registry: WorkflowRegistry; redis: RedisClient } {
  const redis = createRedisClient(redisConfig);
  const count = (name: string) => redis.incr(`${counterPrefix}runs:${name}`);
  const registry = new WorkflowRegistry();

  registry.register(
    defineWorkflow({
      name: 'test.numbers',
      description: 'Produces a list of numbers from a start value.',
      examples: ['make numbers starting at 5'],
      input: z.object({ start: param(z.number().int(), { description: 'first number', ask: 'Which number should I start from?' }) }),
      output: z.object({ numbers: z.array(z.number()) }),
      nodes: {
        make: {
          run: async (s) => {
            await count('test.numbers.make');
            const start = Number(s.start);
            return { numbers: [start, start + 1, start + 2] };
          },
        },
      },
    }),
  );

  registry.register(
    defineWorkflow({
      name: 'test.sum',
      description: 'Adds up numbers.',
      examples: ['sum the numbers'],
      input: z.object({ numbers: z.array(z.number()) }),
      output: z.object({ total: z.number() }),
      nodes: {
        add: {
          run: async (s) => {
            await count('test.sum.add');
            return { total: (s.numbers as number[]).reduce((a, b) => a + b, 0) };
          },
        },
      },
      summarize: (o) => `total ${o.total}`,
    }),
  );

  for (const op of ['double', 'square', 'negate'] as const) {
    registry.register(
      defineWorkflow({
        name: `test.${op}`,
        description: `Applies ${op} to each number.`,
        examples: [`${op} the numbers`],
        input: z.object({ numbers: z.array(z.number()) }),
        output: z.object({ [op]: z.array(z.number()) }),
        nodes: {
          apply: {
            run: async (s) => {
              await count(`test.${op}.apply`);
              const f = op === 'double' ? (n: number) => n * 2 : op === 'square' ? (n: number) => n * n : (n: number) => -n;
              return { [op]: (s.numbers as number[]).map(f) };
            },
          },
        },
      }),
    );
  }

  registry.register(
    defineWorkflow({
      name: 'test.collect',
      description: 'Collects the results of the parallel branches.',
      examples: ['collect'],
      input: z.object({}).passthrough(),
      output: z.object({ keys: z.array(z.string()) }),
      nodes: {
        collect: {
          run: async (s) => {
            await count('test.collect.collect');
            return { keys: ['double', 'square', 'negate'].filter((k) => Array.isArray(s[k])) };
          },
        },
      },
    }),
  );

  registry.register(
    defineWorkflow({
      name: 'test.fail',
      description: 'Always fails (for failure-policy tests).',
      examples: ['fail please'],
      input: z.object({}).passthrough(),
      output: z.object({}),
      nodes: {
        boom: {
          run: async () => {
            await count('test.fail.boom');
            throw new Error('boom: this node always fails');
          },
        },
      },
    }),
  );

  registry.register(
    defineWorkflow({
      name: 'test.reject',
      description: 'Fails with an error retrying cannot fix.',
      examples: ['reject please'],
      input: z.object({}).passthrough(),
      output: z.object({}),
      nodes: {
        check: {
          run: async () => {
            await count('test.reject.check');
            throw new ValidationError('the input is wrong and will stay wrong');
          },
        },
      },
    }),
  );

  registry.register(
    defineWorkflow({
      name: 'test.slow',
      description: 'Waits, then echoes (for crash tests).',
      examples: ['wait a bit'],
      input: z.object({ ms: z.number().int().min(0).max(60_000) }).passthrough(),
      output: z.object({ waited: z.number() }),
      nodes: {
        wait: {
          run: async (s) => {
            await count('test.slow.wait');
            await new Promise((r) => setTimeout(r, Number(s.ms)));
            return { waited: Number(s.ms) };
          },
        },
      },
    }),
  );

  registry.register(
    defineWorkflow({
      name: 'test.report',
      description: 'Writes a text report about a dataset and stores it as an artifact. Needs a title and a format.',
      examples: ['write a report', 'make me a report about sales'],
      input: z.object({
        title: param(z.string().min(1), { description: 'report title', ask: 'What should the report be called?' }),
        format: param(z.enum(['markdown', 'text']), { description: 'output format', ask: 'Markdown or plain text?' }),
      }),
      output: z.object({ reportArtifactId: z.string() }),
      nodes: {
        write: {
          run: withArtifacts({ as: 'reportArtifactId', contentType: 'text' }, async (s) => {
            await count('test.report.write');
            return { output: `# ${String(s.title)}\nformat: ${String(s.format)}\n` };
          }),
        },
      },
      summarize: (o) => `report stored as ${o.reportArtifactId}`,
    }),
  );

  registry.register(
    defineWorkflow({
      name: 'test.many',
      description: 'Stores several pieces derived from one input artifact, one at a time (for crash tests).',
      examples: ['split it into many pieces'],
      input: z.object({
        source: artifactParam({ description: 'the artifact to split' }),
        pieces: z.number().int().min(1).max(50),
        ms: z.number().int().min(0).max(10_000),
      }),
      output: z.object({ pieceArtifactIds: z.array(z.string()) }).passthrough(),
      nodes: {
        split: {
          run: async (s, ctx) => {
            await count('test.many.split');
            const source = String(s.source);
            const text = await ctx.artifacts.getText(source);
            const ids: string[] = [];
            for (let i = 0; i < Number(s.pieces); i++) {
              const a = await ctx.artifacts.store({
                outputKey: `piece:${i}`,
                workflowName: ctx.workflow,
                createdBy: `${ctx.workflow}.${ctx.node}`,
                content: `${text} #${i}`,
                contentType: 'text',
                parentArtifacts: [source],
              });
              ids.push(a.artifactId);
              await count('test.many.stored');
              await new Promise((r) => setTimeout(r, Number(s.ms)));
            }
            return { pieceArtifactIds: ids, artifacts: ids };
          },
        },
      },
    }),
  );

  registry.register(
    defineWorkflow({
      name: 'test.branchy',
      description: 'A workflow whose second node runs only for big inputs.',
      examples: ['branchy'],
      input: z.object({ n: z.number() }),
      output: z.object({ size: z.string() }).passthrough(),
      nodes: {
        measure: { run: async (s) => ({ size: Number(s.n) > 10 ? 'big' : 'small' }) },
        big: { after: ['measure'], when: (s) => s.size === 'big', run: async () => ({ bigHandled: true }) },
      },
    }),
  );
  return { registry, redis };
}
