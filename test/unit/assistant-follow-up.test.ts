import { describe, expect, it } from 'vitest';
import { askAgainAbout, followUpName } from '../../src/assistant/follow-up.js';

describe('a follow-up that names only a new subject', () => {
  it('recognises "and X?", "what about X", "same for X" when X reads as a name', () => {
    for (const [q, name] of [
      ['and SALES_STAGE_LOAD?', 'SALES_STAGE_LOAD'],
      ['what about FIN_GL_LOAD', 'FIN_GL_LOAD'],
      ['same for orders_2024', 'orders_2024'],
      ['And how about ETL1?', 'ETL1'],
    ] as const) {
      expect(followUpName(q), q).toBe(name);
    }
    for (const q of ['and then?', 'what about it', 'now convert it to airflow', 'and snowflake?', 'same for orders.csv', 'what does SALES_VALIDATE do?']) expect(followUpName(q), q).toBeNull();
  });
  it('asks the previous question again about it; null when that question named nothing', () => {
    expect(askAgainAbout('what does SALES_VALIDATE do?', 'SALES_STAGE_LOAD')).toBe('what does SALES_STAGE_LOAD do?');
    expect(askAgainAbout('which jobs run after SALES_LOAD_BOX in nightly-etl.jil?', 'SALES_PUBLISH')).toBe('which jobs run after SALES_PUBLISH in nightly-etl.jil?');
    expect(askAgainAbout('profile this csv', 'X_1')).toBeNull();
  });
});
