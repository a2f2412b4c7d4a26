/**
 * AutoSys JIL toolkit: parse JIL exports, analyse their dependency graph, draw it as Mermaid, and
 * translate it to Apache Airflow 2 DAG files. Pure functions, no services.
 */
export * from './attributes.js';
export * from './condition-error.js';
export * from './condition-parser.js';
export * from './condition-schema.js';
export * from './job-types.js';
export * from './lexer.js';
export * from './parse-schema.js';
export * from './parser.js';
export * from './analysis-schema.js';
export * from './analyzer.js';
export * from './box-index.js';
export * from './mermaid.js';
export * from './airflow/schema.js';
export { toAirflow } from './airflow/to-airflow.js';
export { pyStr } from './airflow/python.js';
export { jinjaSafe } from './airflow/operators.js';
export { scheduleFor, type ScheduleResult } from './airflow/schedule.js';
