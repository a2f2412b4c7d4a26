import { expect } from 'vitest';
import type { EvalCase, ScriptedReply, Turn, TurnContext } from './eval-types.js';

/** The fixtures, scripted replies and case builders the eval cases share. */

export const NIGHTLY = 'examples/jil/nightly-etl.jil';
export const MONTH_END = 'examples/jil/month-end-finance.jil';
export const ORBITER = 'test/fixtures/jil/public/orbiter-demo.jil';
export const JILUTIL = 'test/fixtures/jil/public/jilutil-sample.jil';
export const EDGES = 'test/fixtures/jil/graph-edge-cases.jil';
export const ORDERS = 'examples/csv/orders.csv';
export const CUSTOMERS = 'examples/csv/customers.csv';
export const NULLS = 'test/fixtures/csv/nulls.csv';
export const SEMICOLON = 'test/fixtures/csv/semicolon-european.csv';
export const DIRTY = 'test/fixtures/csv/dirty-orders.csv';

export const call = (tool: string, input: Record<string, unknown> = {}): ScriptedReply => ({ calls: [{ tool, input }] });
export const calls = (...list: [string, Record<string, unknown>][]): ScriptedReply => ({ calls: list.map(([tool, input]) => ({ tool, input })) });
/** The artifact attached to the message (the model sees it first in the list). */
export const ATT = '$attached';

export const PARSE_CONVERT = ['jil.parse', 'jil.to_airflow'];
export const PARSE_ANALYZE = ['jil.parse', 'jil.analyze'];
export const PROFILE_DDL = ['csv.profile', 'csv.schema_ddl'];

/** No internals in any reply: Redis keys, run/job ids, error class names, an "I don't know" opener. */
export const NEVER_IN_REPLIES = [/run-sess_/, /\{t[0-9a-f]{8}\}/, /:nodes:|:flows:/, /\w+Error:/, /^I don't know/i];

/** The DDL this turn made names the table `table` (not `data`) in `dialect`. */
export function ddlFor(table: string, dialect: RegExp) {
  return async (t: TurnContext) => {
    const ddl = await t.textsOf('csv.schema_ddl');
    expect(ddl).toHaveLength(1);
    expect(ddl[0]).toMatch(/CREATE TABLE/i);
    expect(ddl[0]!.toLowerCase()).toContain(table);
    expect(ddl[0]).not.toMatch(/CREATE TABLE[^(\n]*\bdata\b/i);
    expect(t.result.reply).toMatch(dialect);
  };
}

export const one = (name: string, category: EvalCase['category'], turn: Turn): EvalCase => ({ name, category, turns: [turn] });

