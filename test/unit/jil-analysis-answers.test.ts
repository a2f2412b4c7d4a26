import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { answerAnalysisQuestion, isAnalysisQuestion } from '../../src/workflows/builtin/jil/lib/analysis-answers.js';
import { analyzeJil } from '../../src/workflows/builtin/jil/lib/analyzer.js';
import { parseJil } from '../../src/workflows/builtin/jil/lib/parser.js';
import { SMALL_JIL } from '../support/small-jil.js';

const nightly = analyzeJil(parseJil(readFileSync(new URL('../../examples/jil/nightly-etl.jil', import.meta.url), 'utf8')));
const small = analyzeJil(parseJil(SMALL_JIL));

describe('questions the dependency analysis answers', () => {
  it('recognises the questions, and nothing else', () => {
    for (const q of ['which jobs have no upstream', 'what are the root jobs?', 'what breaks if A fails', 'what depends on B', 'impact of A', 'which boxes are there', 'find cycles in the autosys jobs', 'what is the critical path', "what's the longest chain"]) {
      expect(isAnalysisQuestion(q), q).toBe(true);
    }
    for (const q of ['analyze the dependencies of this jil', 'chart the dependencies as a diagram']) expect(isAnalysisQuestion(q), q).toBe(false);
  });

  it('which boxes, any cycles → each box with its jobs, and the cycles (or that there are none), one sentence each', () => {
    expect(answerAnalysisQuestion('ok, which boxes are there and are there any cycles?', small)).toBe(
      'Boxes (1): BX: IN_BX. There are no cycles: no job waits, directly or through others, on itself.',
    );
    const looped = analyzeJil(parseJil(['insert_job: P command: p', 'condition: s(Q)', 'insert_job: Q command: q', 'condition: s(P)'].join('\n')));
    expect(answerAnalysisQuestion('are there loops?', looped)).toMatch(/^1 cycle \(jobs that wait on themselves through others\): (P → Q → P|Q → P → Q)\.$/);
    expect(answerAnalysisQuestion('list the boxes', looped)).toBe('There are no boxes in this file.');
  });

  it('which jobs have no upstream → the roots', () => {
    expect(answerAnalysisQuestion('which jobs have no upstream', small)).toBe('Jobs with no upstream (2, they start on their own schedule or when started): A, OTHER.');
    expect(answerAnalysisQuestion('Which jobs have no upstream dependencies?', nightly)).toMatch(/^Jobs with no upstream \(5, .*: SALES_NIGHTLY_BOX, SALES_LAND_BOX, /);
  });

  it('what breaks if X fails → what waits on its success, transitively, boxes and their jobs included; its failure waiters start', () => {
    const a = answerAnalysisQuestion('what breaks if a fails?', small) ?? '';
    // B waits for s(A); C for d(B), which never comes; BX for s(B), so IN_BX never starts
    expect(a).toMatch(/^If A fails, 4 jobs waiting on it \(directly or through others\) will not run: B, C, BX, IN_BX\./);
    expect(a).toContain('Its failure starts ON_FAIL');
    expect(a).not.toContain('AFTER_ANY');
    expect(a).not.toContain('OTHER');
  });

  it('a job inside a box: its box does not succeed, so what waits on the box does not run', () => {
    const a = answerAnalysisQuestion('what breaks if SALES_STAGE_LOAD fails', nightly) ?? '';
    expect(a).toMatch(/^If SALES_STAGE_LOAD fails, /);
    expect(a).toContain('SALES_LOAD_BOX');
    expect(a).toContain('SALES_PUBLISH');
    expect(a).not.toContain('SALES_VALIDATE');
  });

  it('no waiters, an unknown job or another question → no answer (or says it blocks nothing)', () => {
    expect(answerAnalysisQuestion('what breaks if OTHER fails', small)).toBe('Nothing in this file waits for OTHER to succeed, so its failure blocks no other job.');
    expect(answerAnalysisQuestion('what breaks if NOPE fails', small)).toBeNull();
    expect(answerAnalysisQuestion('draw the graph', small)).toBeNull();
  });
});
