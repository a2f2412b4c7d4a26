import { describe, expect, it } from 'vitest';
import { isCapabilityQuestion } from '../../src/assistant/capability-question.js';
import { describeFailure, userCause } from '../../src/assistant/failure-cause.js';
import { capabilitiesReply, failedRunReply, outOfScopeReply } from '../../src/assistant/reply.js';
import { registerBuiltins } from '../../src/workflows/builtin/index.js';
import { plural } from '../../src/workflows/builtin/plural.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';

const registry = registerBuiltins(new WorkflowRegistry());

describe('capability questions', () => {
  it.each([
    'what can you do',
    'What can you do?',
    'help',
    'Help!',
    'hi, what can you do for me?',
    'which formats do you read',
    'Which file formats do you support?',
    'what are your capabilities',
    'list your workflows',
    'what can I ask you',
    'how can you help me?',
    'what files can you read?',
  ])('%s is one', (m) => expect(isCapabilityQuestion(m)).toBe(true));

  it.each(['help me convert this jil to airflow', 'read this jil', 'what is in this csv file', 'what jobs are in this autosys file', 'what is the weather like on mars'])(
    '%s is not one',
    (m) => expect(isCapabilityQuestion(m)).toBe(false),
  );

  it('answers with the list, never "I don\'t know"', () => {
    const text = capabilitiesReply(registry.capabilities(), ['AutoSys JIL exports', 'CSV files']);
    expect(text).toMatch(/^Here is what I can do:/);
    expect(text).toContain('**jil.to_airflow**');
    expect(text).toContain('I read AutoSys JIL exports and CSV files.');
    expect(text).not.toMatch(/don't know/i);
    const out = outOfScopeReply(registry.capabilities());
    expect(out.split('\n')[0]).toMatch(/^That is outside what I can do/);
    expect(out).toContain('**csv.profile**');
  });
});

describe('failed-run replies', () => {
  const instances = { jil_parse: 'jil.parse', jil_to_airflow: 'jil.to_airflow' };

  it('names the failed step and the cause without ids, keys or stack frames, and says what to do', () => {
    const raw =
      'UnrecoverableError: ValidationError: artifact art_0f8a2c1e-1111-4222-8333-944455556666 does not hold JSON (at {dataops}:nodes:run-sess_0f8a2c1e-1111-4222-8333-944455556666-m1.jil_to_airflow.convert)\n    at convert (/app/src/x.ts:10:5)';
    const r = describeFailure(
      { step: 'jil_to_airflow.convert', error: raw, instances, completedInstances: ['jil_parse'], artifactNames: { 'art_0f8a2c1e-1111-4222-8333-944455556666': 'nightly.jil' } },
      registry,
    );
    expect(r.workflow).toBe('jil.to_airflow');
    const text = failedRunReply(r);
    expect(text).toContain('**jil.to_airflow**');
    expect(text).toContain('"nightly.jil" does not hold JSON');
    expect(text).toContain('What to do: The step was given a file it cannot read');
    expect(text).toContain('These steps finished before it: jil.parse.');
    expect(text).not.toMatch(/art_|run-sess_|\{dataops\}|:nodes:|Error:|\bat convert\b/);
  });

  it('a name the file does not have: use the names in the file', () => {
    const r = describeFailure({ step: 'jil_to_airflow.convert', error: 'UnrecoverableError: ValidationError: not a job or box of this file: NOPE_BOX', instances }, registry);
    expect(failedRunReply(r)).toContain('failed: not a job or box of this file: NOPE_BOX.');
    expect(r.next).toBe('Use the names as they are in the file (ask "what\'s in this file?" for them) and try again.');
  });

  it('falls back to plain words when the cause is empty or unknown', () => {
    expect(userCause('')).toBe('it stopped without saying why.');
    expect(userCause('Error: boom')).toBe('boom.');
    const r = describeFailure({ step: null, error: 'boom', instances: { test_fail: 'test.fail' } }, registry);
    expect(r.workflow).toBe('test.fail');
    expect(r.next).toMatch(/^Check the input file/);
  });
});

describe('plural', () => {
  it('reads as English', () => {
    expect(plural(1, 'DAG file')).toBe('1 DAG file');
    expect(plural(2, 'DAG file')).toBe('2 DAG files');
    expect(plural(0, 'box')).toBe('0 boxes');
    expect(plural(3, 'undefined reference')).toBe('3 undefined references');
    expect(plural(2, 'dependency')).toBe('2 dependencies');
    expect(plural(1, 'warning')).toBe('1 warning');
  });

  it('is what the workflow summaries say', () => {
    const convert = registry.get('jil.to_airflow');
    expect(convert.summarize!({ dagArtifactIds: ['art_a'], reportArtifactId: 'art_r', dags: 1, todos: 1, warnings: 0 })).toBe('1 DAG file (1 TODO to review, 0 warnings); report art_r');
    const parse = registry.get('jil.parse');
    expect(parse.summarize!({ parsedArtifactId: 'art_p', jobs: 1, boxes: 1, warnings: 2, errors: 0, name: 'x' })).toBe('1 job (1 box), 2 warnings, 0 errors; parsed JSON art_p');
  });
});
