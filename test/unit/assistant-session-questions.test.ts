import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isFileOverviewQuestion, isHistoryQuestion } from '../../src/assistant/session-questions.js';
import { historyReply } from '../../src/assistant/history-reply.js';
import type { Message } from '../../src/sessions/message.js';
import { isOverviewQuestion } from '../../src/workflows/builtin/overview-question.js';
import { describeParsedJil } from '../../src/workflows/builtin/jil/lib/parse-overview.js';
import { parseJil } from '../../src/workflows/builtin/jil/lib/parser.js';
import { describeNulls, describeProfile, isNullsQuestion } from '../../src/workflows/builtin/csv/lib/profile-overview.js';
import { profileCsv } from '../../src/workflows/builtin/csv/lib/profile-csv.js';
import { z } from 'zod';
import { defineWorkflow } from '../../src/workflows/define-workflow.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';
import { registerBuiltins } from '../../src/workflows/builtin/index.js';
import { ValidationError } from '../../src/errors/index.js';

describe('questions about the session rather than a task', () => {
  it('"what is in this file" and its variants are overview questions; requests and other questions are not', () => {
    for (const q of ["what's in this file?", 'What is this?', 'describe this file', 'can you summarize this csv', 'tell me about this upload', 'give me an overview', 'what does this file contain?', "what's inside", 'Hi, what is in this jil file please?']) {
      expect(isFileOverviewQuestion(q), q).toBe(true);
    }
    for (const q of ['profile this csv', 'what is the critical path', 'convert it to airflow', 'what can you do', 'what did you do so far?', `what is in ${'x'.repeat(300)}`]) {
      expect(isFileOverviewQuestion(q), q).toBe(false);
    }
  });

  it('"what have you done so far" and its variants are history questions; requests are not', () => {
    for (const q of ['what did you do so far?', 'What have we done', 'recap', 'summarize this session', 'where are we?', 'what happened so far', 'which workflows have you run so far']) {
      expect(isHistoryQuestion(q), q).toBe(true);
    }
    for (const q of ['what did you do with the schedule', 'give me an overview', 'profile this csv', 'what is in this file']) expect(isHistoryQuestion(q), q).toBe(false);
  });

  it('the history lists each run under what was asked, oldest first, then the uploads', () => {
    let seq = 0;
    const msg = (role: Message['role'], content: string, extra: Partial<Message> = {}): Message => ({
      messageId: `m${++seq}`,
      sessionId: 'sess_00000000-0000-4000-8000-000000000000',
      seq,
      timestamp: new Date(0).toISOString(),
      role,
      content,
      workflow: null,
      artifacts: [],
      metadata: {},
      ...extra,
    });
    const messages = [
      msg('user', 'what can you do'),
      msg('assistant', 'Here is what I can do…', { metadata: { outcome: 'answered' } }),
      msg('user', 'parse this\nJIL file and convert it to Airflow, then analyze the whole dependency graph for me please'),
      msg('assistant', 'Done', { workflow: 'jil.pipeline', artifacts: ['art_a', 'art_b'], metadata: { outcome: 'succeeded', workflows: ['jil.parse', 'jil.to_airflow'] } }),
      msg('user', 'profile it'),
      msg('assistant', 'It failed', { workflow: 'csv.profile', metadata: { outcome: 'failed' } }),
    ];
    const text = historyReply(messages, [{ artifactId: 'art_up', name: 'nightly.jil', contentType: 'text/plain' }]);
    expect(text.split('\n')).toEqual([
      'What this session has run so far (2 runs, oldest first):',
      '- "parse this JIL file and convert it to Airflow, then analyze the whole dependenc…" → **jil.parse**, **jil.to_airflow**: succeeded, 2 artifacts',
      '- "profile it" → **csv.profile**: failed',
      '',
      'Files uploaded: nightly.jil (art_up).',
      '',
      'Ask a follow-up about any of it, or attach a file and say what you want.',
    ]);
    expect(historyReply(messages.slice(0, 2), [])).toMatch(/^Nothing has run in this session yet\.\n\nAttach a file/);
  });

  it('a parsed JIL and a CSV profile are described in plain words for an overview question', async () => {
    expect(isOverviewQuestion('what jobs are in this autosys file')).toBe(true);
    expect(isOverviewQuestion('convert it to airflow')).toBe(false);
    expect(isOverviewQuestion('show me what this autosys file contains')).toBe(true);
    // a question about how the jobs relate, or what is wrong, is not an overview
    expect(isOverviewQuestion('what jobs run after SAMPLE_CMD_JOB_1')).toBe(false);
    expect(isOverviewQuestion('which jobs are wrong')).toBe(false);
    const jil = readFileSync(new URL('../../../shared/fixtures/jil/jilutil-sample.jil', import.meta.url), 'utf8');
    expect(describeParsedJil(parseJil(jil))).toBe(
      'This file defines 3 jobs (2 CMD, 1 BOX). Boxes: SAMPLE_BOX_JOB (SAMPLE_CMD_JOB_1, SAMPLE_CMD_JOB_2). 1 dependency in 1 condition.',
    );
    expect(describeParsedJil(parseJil(''))).toMatch(/^This file defines no jobs/);
    const profile = await profileCsv(Readable.from([Buffer.from('id,name,score\n1,ann,\n2,bob,3.5\n')]));
    expect(describeProfile(profile)).toBe('This file has 2 rows and 3 columns: id (integer), name (string), score (decimal, 1 null).');
    expect(isNullsQuestion('which columns have nulls?')).toBe(true);
    expect(isNullsQuestion('which columns are there')).toBe(false);
    expect(describeNulls(profile)).toBe('1 column of 3 has nulls: score 1 (50%).');
    const full = await profileCsv(Readable.from([Buffer.from('a,b\n1,2\n')]));
    expect(describeNulls(full)).toBe('No column has nulls (1 row, 2 columns).');
  });

  it('overviewOf names the workflow for a kind family; a bad family is refused at definition', () => {
    const builtins = registerBuiltins(new WorkflowRegistry());
    expect(builtins.overviewFor('jil')?.name).toBe('jil.parse');
    expect(builtins.overviewFor('csv')?.name).toBe('csv.profile');
    expect(builtins.overviewFor('parquet')).toBeUndefined();
    const def = (overviewOf: string[]) =>
      defineWorkflow({ name: 'x.describe', description: 'd', examples: [], input: z.object({}), output: z.object({}), nodes: { run: { run: async () => ({}) } }, overviewOf });
    expect(def(['xml']).overviewOf).toEqual(['xml']);
    expect(() => def(['jil.parsed'])).toThrow(ValidationError);
    expect(() => def(['JIL'])).toThrow(/overviewOf "JIL" is not a kind family/);
  });

  it('answerers: the workflows whose questions recognise a question, in registration order', () => {
    const builtins = registerBuiltins(new WorkflowRegistry());
    const names = (q: string) => builtins.answerers(q).map((w) => w.name);
    expect(names('when does SAMPLE_CMD_JOB_2 run?')).toEqual(['jil.parse']);
    expect(names('what runs after LOAD')).toEqual(['jil.analyze']);
    expect(names("what's the biggest amount?")).toEqual(['csv.profile']);
    expect(names('any duplicates?')).toEqual(['csv.quality']);
    expect(names('convert this jil to airflow')).toEqual([]);
  });
});
