import { z } from 'zod';
import { artifactParam, defineWorkflow } from '../../define-workflow.js';
import { withArtifacts } from '../../with-artifacts.js';
import { answerAnalysisQuestion, isAnalysisQuestion } from './lib/analysis-answers.js';
import { JilAnalysis } from './lib/analysis-schema.js';
import { analyzeJil } from './lib/analyzer.js';
import { toMermaid } from './lib/mermaid.js';
import { JilParseResult } from './lib/parse-schema.js';
import { plural } from '../plural.js';

export const parsedJilParam = () =>
  artifactParam({
    description: 'The JIL to read: a parsed JIL (the JSON artifact jil.parse made), or a raw JIL export, which is parsed first.',
    ask: 'Which JIL export should I use? Attach the .jil file (a raw export is parsed first), or give a parsed JIL artifact id.',
    accepts: ['jil.parsed'],
  });

/** jil.analyze: the dependency graph of a parsed JIL, then a Mermaid diagram of it (two nodes in sequence). */
export const jilAnalyze = defineWorkflow({
  name: 'jil.analyze',
  description:
    'Analyze the dependency graph of a parsed JIL: roots (jobs with no upstream), leaves, what depends on a job (downstream impact), box tree, cycles (loops), undefined job references, cross-box and cross-instance edges, the critical path, and a Mermaid diagram.',
  examples: ['analyze the dependencies of this jil', 'find cycles in the autosys jobs', 'show me the job dependency graph', 'chart the dependencies as a diagram', 'what is the critical path', 'which jobs have no upstream', 'which jobs start first', 'what breaks if this job fails', 'what runs after this job', 'what does this job depend on', 'what does this job wait for', 'what comes before this job', 'what triggers this job', 'what follows this job', 'what happens when this job finishes', 'list the dependencies of this job', 'is anything wrong with these jobs', 'which box is this job in', 'what is the longest chain of jobs'],
  tags: ['jil', 'autosys'],
  produces: { analysisArtifactId: 'jil.analysis', mermaidArtifactId: 'jil.mermaid' },
  queue: 'jil',
  input: z.object({ parsedArtifactId: parsedJilParam() }),
  output: z.object({
    analysisArtifactId: z.string(),
    mermaidArtifactId: z.string(),
    roots: z.number(),
    cycles: z.number(),
    undefinedJobs: z.number(),
    criticalPath: z.number(),
  }),
  nodes: {
    analyze: {
      run: withArtifacts(
        { as: 'analysisArtifactId', contentType: 'json', parentsFrom: ['parsedArtifactId'], name: () => 'jil-analysis.json', description: 'JIL dependency analysis' },
        async (state, ctx) => {
          const parsed = JilParseResult.parse(await ctx.artifacts.getJson(String(state.parsedArtifactId)));
          const analysis = analyzeJil(parsed);
          return {
            output: analysis,
            roots: analysis.roots.length,
            cycles: analysis.cycles.length,
            undefinedJobs: analysis.undefinedJobs.length,
            criticalPath: analysis.criticalPath.length,
          };
        },
      ),
    },
    mermaid: {
      after: ['analyze'],
      run: withArtifacts(
        { as: 'mermaidArtifactId', contentType: 'text', mimeType: 'text/vnd.mermaid', parentsFrom: ['analysisArtifactId'], name: () => 'jil-dependencies.mmd', description: 'Mermaid flowchart of the JIL dependencies' },
        async (state, ctx) => {
          const analysis = JilAnalysis.parse(await ctx.artifacts.getJson(String(state.analysisArtifactId)));
          return { output: toMermaid(analysis) };
        },
      ),
    },
  },
  questions: isAnalysisQuestion,
  answer: async (question, o, readJson) =>
    isAnalysisQuestion(question) ? answerAnalysisQuestion(question, JilAnalysis.parse(await readJson(o.analysisArtifactId))) : null,
  summarize: (o) =>
    `${plural(o.roots, 'root job')}, ${plural(o.cycles, 'cycle')}, ${plural(o.undefinedJobs, 'undefined reference')}, critical path of ${plural(o.criticalPath, 'job')}; analysis ${o.analysisArtifactId}, Mermaid diagram ${o.mermaidArtifactId}`,
});
