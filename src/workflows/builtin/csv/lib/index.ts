/**
 * CSV toolkit: streaming profiling, DDL generation and data-quality checks. Pure logic over a
 * byte stream — no services. Workflow wrappers live beside this folder (../workflow*.ts).
 */
export { profileCsv } from './profile-csv.js';
export {
  ProfileOptions,
  CsvProfile,
  ColumnProfile,
  InferredType,
  NumericInfo,
  TemporalInfo,
  TopValue,
  type ResolvedProfileOptions,
} from './profile-schema.js';
export { CsvReadOptions, CsvDialect, CsvEncoding, LineEnding, ReadIssues, RowRef, type ResolvedCsvReadOptions } from './read-options.js';
export type { CsvSource, ReadHooks } from './csv-source.js';
export { DEFAULT_NULL_VALUES } from './null-values.js';
export { generateDdl } from './ddl/generate-ddl.js';
export { DdlOptions, SqlDialect, type ResolvedDdlOptions } from './ddl/ddl-options.js';
export { checkQuality } from './quality/check-quality.js';
export {
  QualityRules,
  QualityOptions,
  QualityReport,
  RuleResult,
  RuleKind,
  FailingSample,
  type ResolvedQualityRules,
  type ResolvedQualityOptions,
} from './quality/quality-schema.js';
export { deriveRules, DeriveRulesOptions } from './quality/derive-rules.js';
export { HyperLogLog } from './hyperloglog.js';
export { MisraGries } from './misra-gries.js';
export { syntheticCsv, type SyntheticCsvOptions } from './synthetic-csv.js';
