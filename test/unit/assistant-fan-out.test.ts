import { describe, expect, it } from 'vitest';
import { fanOutOverAttachments, type CheckedIntent } from '../../src/assistant/fan-out.js';
import type { ArtifactSlot } from '../../src/assistant/resolve-artifacts.js';

const csv = (id: string) => ({ artifactId: id, name: `${id}.csv`, contentType: 'text/csv', kind: 'csv' });
const png = { artifactId: 'art_png', name: 'x.png', contentType: 'image/png', kind: 'binary' };
const source: ArtifactSlot = { name: 'source', accepts: ['csv'], array: false, required: true };
const sources: ArtifactSlot = { name: 'sources', accepts: ['csv'], array: true, required: true };
const slots: Record<string, ArtifactSlot[]> = { 'csv.profile': [source], 'csv.schema_ddl': [source], 'csv.compare': [sources], 'say.hello': [] };
const canBecome = () => false;
const intent = (tool: string, params: Record<string, unknown>): CheckedIntent => ({ intent: { tool, params }, check: { valid: params, missing: [], problems: [] } });
const fan = (checked: CheckedIntent[], attached: ReturnType<typeof csv>[]) => fanOutOverAttachments(checked, attached, (t) => slots[t] ?? [], canBecome);

describe('a request over several attached files', () => {
  it('runs once per attached file that fits the same single-file parameter, in attachment order', () => {
    const out = fan([intent('csv.profile', { source: 'art_a' })], [csv('art_a'), csv('art_b'), csv('art_c')]);
    expect(out.map((c) => c.check.valid['source'])).toEqual(['art_a', 'art_b', 'art_c']);
    expect(out.map((c) => c.intent.params['source'])).toEqual(['art_a', 'art_b', 'art_c']);
  });
  it('repeats every intent that names the file, keeps the others once', () => {
    const out = fan([intent('csv.schema_ddl', { source: 'art_a', dialect: 'postgres' }), intent('say.hello', {})], [csv('art_a'), csv('art_b')]);
    expect(out.map((c) => [c.intent.tool, c.check.valid['source'] ?? null])).toEqual([
      ['csv.schema_ddl', 'art_a'],
      ['say.hello', null],
      ['csv.schema_ddl', 'art_b'],
    ]);
    expect(out[2]!.check.valid['dialect']).toBe('postgres');
  });
  it('leaves alone: one attachment, files that do not fit, files already used, list parameters', () => {
    const one = [intent('csv.profile', { source: 'art_a' })];
    expect(fan(one, [csv('art_a')])).toBe(one);
    expect(fan(one, [csv('art_a'), png as ReturnType<typeof csv>])).toBe(one);
    const both = [intent('csv.profile', { source: 'art_a' }), intent('csv.schema_ddl', { source: 'art_b' })];
    expect(fan(both, [csv('art_a'), csv('art_b')])).toBe(both);
    const list = [intent('csv.compare', { sources: ['art_a', 'art_b'] })];
    expect(fan(list, [csv('art_a'), csv('art_b')])).toBe(list);
  });
  it('takes at most ten files', () => {
    const files = Array.from({ length: 14 }, (_, i) => csv(`art_${i}`));
    expect(fan([intent('csv.profile', { source: 'art_0' })], files)).toHaveLength(10);
  });
});
