import { z } from 'zod';
import { defineWorkflow, param } from '../../define-workflow.js';
import { withArtifacts } from '../../with-artifacts.js';
import { baseName } from '../base-name.js';
import { parseJil } from './lib/parser.js';
import { plural } from '../plural.js';
import { isOverviewQuestion, isProblemsQuestion } from '../overview-question.js';
import { describeParsedJil, describeParseProblems } from './lib/parse-overview.js';
import { describeSchedule, isScheduleQuestion } from './lib/schedule-answers.js';
import { findNamedJob, findUnknownJob, namesAJob, noSuchJobAnswer } from './lib/named-job.js';
import { describeJob, isJobQuestion } from './lib/job-answer.js';
import { isAnalysisQuestion } from './lib/analysis-answers.js';
import { JilParseResult } from './lib/parse-schema.js';
import { ValidationError } from '../../../errors/validation-error.js';

const ARTIFACT_ID = /^art_[A-Za-z0-9_-]+$/;

/** The JIL input of jil.parse and jil.pipeline: an uploaded artifact, or the JIL text itself. */
export const jilSourceParam = () =>
  param(z.string().min(1).max(64 * 1024 * 1024), {
    description: 'The AutoSys JIL export: the artifact id of an uploaded .jil file (attach it), or the JIL text itself.',
    ask: 'Which JIL export should I use? Attach the .jil file (or paste its text).',
    accepts: ['jil', 'text'],
  });

/** jil.parse: JIL text → a JSON artifact of jobs, objects, overrides, deletions, warnings and errors. */
export const jilParse = defineWorkflow({
  name: 'jil.parse',
  description:
    'Parse an AutoSys JIL export (insert_job, update_job, override_job, delete_job/delete_box, machines, resources…) into structured jobs with typed attributes, condition ASTs, dependencies and line-numbered warnings.',
  examples: ['parse this JIL file', 'parse the autosys export', 'read this jil and list the jobs', 'what jobs are in this autosys file', 'how many jobs are there', 'what does this autosys file contain', 'any errors or warnings in this jil', 'when does this job run', 'what is the schedule of these jobs'],
  tags: ['jil', 'autosys'],
  produces: { parsedArtifactId: 'jil.parsed' },
  answerReads: ['parsedArtifactId'],
  overviewOf: ['jil'],
  queue: 'jil',
  input: z.object({ jil: jilSourceParam() }),
  output: z.object({
    parsedArtifactId: z.string(),
    jobs: z.number(),
    boxes: z.number(),
    warnings: z.number(),
    errors: z.number(),
    name: z.string(),
  }),
  nodes: {
    parse: {
      run: withArtifacts(
        { as: 'parsedArtifactId', contentType: 'json', parentsFrom: ['jil'], name: (s, r) => `${String(r.name ?? s.name ?? 'jil')}.parsed.json`, description: 'Parsed JIL' },
        async (state, ctx) => {
          const source = String(state.jil);
          let text = source;
          let name = 'inline';
          // what the errors call the input: the file's own name
          let label = 'the JIL text';
          if (ARTIFACT_ID.test(source)) {
            const meta = await ctx.artifacts.peek(source);
            name = baseName(meta.name, 'jil');
            label = meta.name ?? source;
            text = await ctx.artifacts.getText(source);
          }
          const parsed = parseJil(text);
          if (text.trim() === '') throw new ValidationError(`${label} is empty: there is no JIL in it to parse`);
          if (parsed.stats.statements === 0) {
            throw new ValidationError(
              `${label} holds no JIL: none of its ${plural(parsed.stats.lines, 'line')} is an insert_job, update_job, override_job, delete_job or machine/resource statement. Is it the right file?`,
            );
          }
          return {
            output: parsed,
            jobs: parsed.stats.jobs,
            boxes: parsed.stats.boxes,
            warnings: parsed.warnings.length,
            errors: parsed.errors.length,
            name,
          };
        },
      ),
    },
  },
  questions: (q) => isOverviewQuestion(q) || isProblemsQuestion(q) || isScheduleQuestion(q) || (isJobQuestion(q) && namesAJob(q)),
  answer: async (question, o, readJson) => {
    const overview = isOverviewQuestion(question);
    const problems = isProblemsQuestion(question);
    const schedule = isScheduleQuestion(question);
    const aboutJob = isJobQuestion(question);
    if (!overview && !problems && !schedule && !aboutJob) return null;
    const parsed = JilParseResult.parse(await readJson(o.parsedArtifactId));
    const names = parsed.jobs.map((j) => j.name);
    // a question about one job that names none of this file's: say so, not something else
    if ((schedule || aboutJob) && !findNamedJob(question, names)) {
      const unknown = findUnknownJob(question, names);
      if (unknown) return noSuchJobAnswer(unknown.token, names);
    }
    if (schedule) return describeSchedule(question, parsed);
    // the overview already counts the problems; a question about them gets them quoted
    if (problems) return describeParseProblems(parsed);
    const named = findNamedJob(question, names);
    // "tell me about X" describes the job; other questions about one job ("which jobs are in BOX_X") are the analysis's
    if (named) return aboutJob && !isAnalysisQuestion(question) ? describeJob(parsed.jobs.find((j) => j.name === named.job)!) : null;
    return overview ? describeParsedJil(parsed) : null;
  },
  summarize: (o) => `${plural(o.jobs, 'job')} (${plural(o.boxes, 'box')}), ${plural(o.warnings, 'warning')}, ${plural(o.errors, 'error')}; parsed JSON ${o.parsedArtifactId}`,
});
