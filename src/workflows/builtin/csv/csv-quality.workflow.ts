import { z } from 'zod';
import { defineWorkflow, param } from '../../define-workflow.js';
import { withArtifacts } from '../../with-artifacts.js';
import { CsvProfile } from './lib/profile-schema.js';
import { profileCsv } from './lib/profile-csv.js';
import { checkQuality } from './lib/quality/check-quality.js';
import { deriveRules } from './lib/quality/derive-rules.js';
import { deriveFileRules } from './lib/quality/derive-file-rules.js';
import { describeQuality, isQualityQuestion } from './lib/quality/quality-overview.js';
import { QualityReport, QualityRules } from './lib/quality/quality-schema.js';
import { csvSourceParam } from './source-param.js';
import { isProblemsQuestion } from '../overview-question.js';
import { plural } from '../plural.js';

/** csv.quality: rules given, or derived from the profile, checked over one streamed pass. */
export const csvQuality = defineWorkflow({
  name: 'csv.quality',
  description:
    'Check data quality of a CSV (is it clean: missing values, duplicates, out-of-range or malformed values): not null, unique, range, regex, allowed values and row count rules (given, or derived from its profile) → a pass/fail report with failing row samples.',
  examples: ['check the quality of this csv', 'give me a data quality report', 'validate this file against rules', 'are there nulls or duplicates in this csv', 'is this data clean', 'is anything wrong with this data'],
  tags: ['csv', 'quality'],
  produces: { reportArtifactId: 'csv.quality' },
  queue: 'csv',
  input: z.object({
    source: csvSourceParam(),
    profileArtifactId: param(z.string().regex(/^art_[A-Za-z0-9_-]+$/).optional(), {
      description: 'A profile of the CSV (from csv.profile) to derive rules from when none are given.',
      accepts: ['csv.profile'],
    }),
    rules: param(QualityRules.optional(), { description: 'Rules to check (notNull, unique, range, regex, allowedValues, rowCount); derived from the profile when omitted.' }),
    purpose: param(z.enum(['file', 'feed']).default('file'), {
      description:
        'What derived rules are for (when no rules are given): `file` looks for problems in this file (gaps in mostly filled columns, repeats in key columns, values of the wrong kind, one value spelled several ways); `feed` makes a baseline this file passes, to catch drift in later files of the same feed. Default: file.',
    }),
  }),
  output: z.object({ reportArtifactId: z.string(), passed: z.boolean(), failedRules: z.number(), rulesChecked: z.number() }),
  nodes: {
    check: {
      run: withArtifacts(
        { as: 'reportArtifactId', contentType: 'json', parentsFrom: ['source', 'profileArtifactId'], name: () => 'quality-report.json', description: 'Data quality report' },
        async (state, ctx) => {
          const source = String(state.source);
          let rules = state.rules as QualityRules | undefined;
          if (!rules) {
            let profile: CsvProfile;
            if (typeof state.profileArtifactId === 'string') {
              profile = CsvProfile.parse(await ctx.artifacts.getJson(state.profileArtifactId));
            } else {
              await ctx.progress(10, 'profiling to derive rules');
              profile = await profileCsv((await ctx.artifacts.getContent(source)).body);
            }
            rules = state.purpose === 'feed' ? deriveRules(profile) : deriveFileRules(profile);
          }
          await ctx.progress(50, 'checking rules');
          const report = await checkQuality((await ctx.artifacts.getContent(source)).body, rules);
          return { output: report, passed: report.passed, failedRules: report.summary.failed, rulesChecked: report.summary.total };
        },
      ),
    },
  },
  questions: (q) => isProblemsQuestion(q) || isQualityQuestion(q),
  answer: async (question, o, readJson) => describeQuality(QualityReport.parse(await readJson(o.reportArtifactId)), question),
  summarize: (o) => `${o.passed ? 'passed' : 'FAILED'}: ${o.rulesChecked - o.failedRules} of ${plural(o.rulesChecked, 'rule')} passed; report ${o.reportArtifactId}`,
});
