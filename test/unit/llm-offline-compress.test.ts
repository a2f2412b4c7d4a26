import { describe, expect, it } from 'vitest';
import { estimateTokens, offlineCompress } from '../../src/llm/offline-compress.js';
import { OfflineLlm } from '../../src/llm/offline-router.js';

const lorem = (n: number) => 'The nightly batch loads orders from the landing zone and reconciles them. '.repeat(n);

/** A realistic, bloated session context. */
function bigContext(): Record<string, unknown> {
  return {
    project: 'orders-migration',
    description: lorem(40),
    currentTable: 'orders',
    lastArtifact: 'art_lastOne-7',
    decisions: Array.from({ length: 60 }, (_, i) => ({
      step: i,
      note: `decided step ${i}: ${lorem(3)}`,
      output: i % 10 === 0 ? `wrote art_out${i} after long processing ${lorem(2)}` : `ok ${i}`,
    })),
    workflows: {
      'jil.to_airflow': {
        parameters: { jilArtifactId: 'art_jil_1', dagId: 'nightly_batch', dryRun: false, notes: lorem(5) },
        status: 'done',
        log: lorem(20),
        details: { nested: { deeper: { deepest: { text: lorem(4), ref: 'art_deep_9' } } } },
      },
    },
    artifactRefs: ['art_a1', 'art_b2', 'art_c3'],
    params: { dialect: 'postgres', tableName: 'orders', sampleRows: 500 },
    history: lorem(100) + ' final mention art_tail_end',
  };
}

const idsIn = (v: unknown) => [...new Set(JSON.stringify(v).match(/art_[A-Za-z0-9_-]+/g) ?? [])].sort();

describe('offlineCompress', () => {
  it('returns a context that already fits unchanged', () => {
    const small = { a: 1, b: 'two', ids: ['art_x'] };
    expect(offlineCompress(small, { maxTokens: 100 })).toEqual(small);
  });

  it.each([2000, 800, 300, 200])('keeps every artifact id and parameter within %i tokens', (maxTokens) => {
    const ctx = bigContext();
    expect(estimateTokens(ctx)).toBeGreaterThan(4000);
    const out = offlineCompress(ctx, { maxTokens });
    expect(idsIn(out)).toEqual(idsIn(ctx));
    const json = JSON.stringify(out);
    for (const v of ['postgres', 'orders', '500', 'nightly_batch', 'art_jil_1']) expect(json).toContain(v);
    // The parameter objects survive verbatim wherever they are.
    expect(json).toContain(JSON.stringify(ctx.params));
    expect(estimateTokens(out)).toBeLessThanOrEqual(maxTokens);
  });

  it('drops verbose keys, cuts long strings with … and trims long arrays with a count', () => {
    const out = offlineCompress(bigContext(), { maxTokens: 2000 });
    expect(out.description).toBeUndefined();
    expect(String(out.history)).toMatch(/…/);
    expect(String(out.history)).toContain('art_tail_end');
    const decisions = out.decisions as unknown[];
    expect(decisions.length).toBeLessThan(60);
    expect(String(decisions[decisions.length - 1])).toMatch(/\+\d+ more/);
    expect(out.project).toBe('orders-migration');
  });

  it('is deterministic', () => {
    expect(JSON.stringify(offlineCompress(bigContext(), { maxTokens: 500 }))).toBe(
      JSON.stringify(offlineCompress(bigContext(), { maxTokens: 500 })),
    );
  });

  it('falls back to ids and parameters only when nothing else fits', () => {
    const out = offlineCompress(bigContext(), { maxTokens: 40 });
    expect(idsIn(out)).toEqual(idsIn(bigContext()));
    expect(out.params).toEqual({ dialect: 'postgres', tableName: 'orders', sampleRows: 500 });
  });

  it('never throws: cycles, bigint, dates, functions', () => {
    const cyclic: Record<string, unknown> = { id: 'art_cyc1', when: new Date(0), big: 10n, fn: () => 1, text: lorem(50) };
    cyclic.self = cyclic;
    const out = offlineCompress(cyclic, { maxTokens: 50 });
    expect(JSON.stringify(out)).toContain('art_cyc1');
    expect(() => JSON.stringify(out)).not.toThrow();
  });

  it('never cuts an id in half', () => {
    const s = `${'x'.repeat(395)} art_abcdefghij tail ${'y'.repeat(500)}`;
    const out = offlineCompress({ s, pad: lorem(200) }, { maxTokens: 400 });
    expect(String(out.s)).toContain('art_abcdefghij');
    expect(String(out.s)).not.toMatch(/art_a(?!bcdefghij)/);
  });

  it('is what OfflineLlm.compress returns', async () => {
    const llm = new OfflineLlm();
    expect(await llm.compress(bigContext(), { maxTokens: 300 })).toEqual(offlineCompress(bigContext(), { maxTokens: 300 }));
  });
});
