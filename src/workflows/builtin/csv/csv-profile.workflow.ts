import { z } from 'zod';
import { defineWorkflow, param } from '../../define-workflow.js';
import { withArtifacts } from '../../with-artifacts.js';
import { profileCsv } from './lib/profile-csv.js';
import { baseName } from '../base-name.js';
import { csvSourceParam } from './source-param.js';
import { plural } from '../plural.js';
import { isOverviewQuestion } from '../overview-question.js';
import { describeColumnStats, describeKeys, isKeyQuestion, isStatsQuestion } from './lib/profile-answers.js';
import { describeNulls, describeProfile, isNullsQuestion } from './lib/profile-overview.js';
import { CsvProfile } from './lib/profile-schema.js';

/** csv.profile: streams the CSV once (bounded memory) and stores the profile as a JSON artifact. */
export const csvProfile = defineWorkflow({
  name: 'csv.profile',
  description:
    'Profile a CSV file (an overview that describes the data: how many rows and columns): detect delimiter, quoting and header, and report per column the inferred type, nulls, distinct count, min/max (smallest and biggest, earliest and latest), mean (average), top values and samples, plus encoding errors and ragged rows.',
  examples: ['profile this CSV', 'what is in this csv file', 'analyze the columns of this CSV', 'infer the schema of this data file', 'what columns does this have', 'summarize this dataset', 'which column could be the primary key', 'what is the biggest value in this column'],
  tags: ['csv'],
  produces: { profileArtifactId: 'csv.profile' },
  answerReads: ['profileArtifactId'],
  overviewOf: ['csv'],
  queue: 'csv',
  input: z.object({
    source: csvSourceParam(),
    delimiter: param(z.string().min(1).max(4).optional(), { description: 'Field delimiter; detected when omitted.' }),
    header: param(z.boolean().optional(), { description: 'Whether the first row is a header; detected when omitted.' }),
  }),
  output: z.object({
    profileArtifactId: z.string(),
    rows: z.number(),
    columns: z.number(),
    delimiter: z.string(),
    table: z.string(),
    encodingErrors: z.number(),
  }),
  nodes: {
    profile: {
      run: withArtifacts(
        { as: 'profileArtifactId', contentType: 'json', parentsFrom: ['source'], name: () => 'profile.json', description: 'CSV profile' },
        async (state, ctx) => {
          const { artifact, body } = await ctx.artifacts.getContent(String(state.source));
          await ctx.progress(10, `profiling ${artifact.name ?? artifact.artifactId}`);
          const profile = await profileCsv(body, {
            ...(state.delimiter ? { delimiter: String(state.delimiter) } : {}),
            ...(typeof state.header === 'boolean' ? { header: state.header } : {}),
          });
          await ctx.progress(90, `${profile.rowCount} rows profiled`);
          return {
            output: profile,
            rows: profile.rowCount,
            columns: profile.columnCount,
            delimiter: profile.dialect.delimiter,
            table: baseName(artifact.name),
            encodingErrors: profile.issues.encodingErrors.count,
          };
        },
      ),
    },
  },
  questions: (q) => isKeyQuestion(q) || isStatsQuestion(q) || isNullsQuestion(q) || isOverviewQuestion(q),
  answer: async (question, o, readJson) => {
    const key = isKeyQuestion(question);
    const stats = isStatsQuestion(question);
    const nulls = isNullsQuestion(question);
    // "profile this CSV" asks for the profile itself: its columns in words, above the artifact id
    const profileAsked = /\bprofil(?:e|ing)\b/i.test(question);
    if (!key && !stats && !nulls && !profileAsked && !isOverviewQuestion(question)) return null;
    const profile = CsvProfile.parse(await readJson(o.profileArtifactId));
    if (key) return describeKeys(profile);
    const columnStats = stats ? describeColumnStats(question, profile) : null;
    if (columnStats) return columnStats;
    return nulls ? describeNulls(profile) : describeProfile(profile);
  },
  summarize: (o) =>
    `${plural(o.rows, 'row')} × ${plural(o.columns, 'column')} (delimiter ${JSON.stringify(o.delimiter)}${o.encodingErrors ? `, ${plural(o.encodingErrors, 'encoding error')}` : ''}); profile ${o.profileArtifactId}`,
});
