import { describe, expect, it } from 'vitest';
import { uploadFormats } from '../../src/assistant/formats.js';
import { artifactSlots, canBecomeIn, fit, resolveArtifacts } from '../../src/assistant/resolve-artifacts.js';
import type { ArtifactHint } from '../../src/llm/llm.js';
import { registerBuiltins } from '../../src/workflows/builtin/index.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';

const registry = registerBuiltins(new WorkflowRegistry());
const tools = new Map(registry.toolSpecs().map((t) => [t.name, t]));
const canBecome = canBecomeIn(registry);
const slots = (tool: string) => artifactSlots(tools.get(tool)!.inputSchema);
const hint = (artifactId: string, name: string, kind: string): ArtifactHint => ({ artifactId, name, kind, contentType: 'text/plain' });

const oldCsv = hint('art_old', 'orders.csv', 'csv');
const newCsv = hint('art_new', 'customers.csv', 'csv');
const profile = hint('art_prof', 'profile.json', 'csv.profile');
const rawJil = hint('art_jil', 'nightly.jil', 'jil');
const parsed = hint('art_parsed', 'nightly.parsed.json', 'jil.parsed');

const resolve = (tool: string, params: Record<string, unknown>, attached: ArtifactHint[], recent: ArtifactHint[], named: string[] = []) =>
  resolveArtifacts({ slots: slots(tool), params, named: new Set(named), attached, recent, canBecome });

describe('artifact parameters: attachments win, "it" is the most recent that fits', () => {
  it('reads the declared kinds from the tool schema', () => {
    expect(slots('csv.schema_ddl')).toEqual([{ name: 'profileArtifactId', accepts: ['csv.profile'], array: false, required: true }]);
    expect(fit(slots('jil.to_airflow')[0]!, 'jil', canBecome)).toBe(1);
    expect(fit(slots('jil.to_airflow')[0]!, 'jil.parsed', canBecome)).toBe(2);
    expect(fit(slots('jil.to_airflow')[0]!, 'csv', canBecome)).toBe(0);
  });

  it("takes this message's attachment over an older artifact the router picked", () => {
    expect(resolve('csv.profile', { source: 'art_old' }, [newCsv], [oldCsv])).toEqual({ source: 'art_new' });
    expect(resolve('csv.schema_ddl', { profileArtifactId: 'art_prof', dialect: 'postgres' }, [newCsv], [profile, oldCsv])).toMatchObject({ profileArtifactId: 'art_new' });
  });

  it('keeps an id the user wrote in the message', () => {
    expect(resolve('csv.profile', { source: 'art_old' }, [newCsv], [oldCsv], ['art_old'])).toEqual({ source: 'art_old' });
  });

  it('fills "it" with the most recent session artifact of a kind the step can use', () => {
    expect(resolve('csv.schema_ddl', { dialect: 'snowflake' }, [], [profile, oldCsv])).toMatchObject({ profileArtifactId: 'art_prof' });
    expect(resolve('jil.to_airflow', {}, [], [oldCsv, parsed, rawJil])).toEqual({ parsedArtifactId: 'art_parsed' });
    expect(resolve('jil.to_airflow', {}, [], [rawJil, oldCsv])).toEqual({ parsedArtifactId: 'art_jil' });
  });

  it('drops an artifact the step cannot use, so the user is asked for the right one', () => {
    expect(resolve('jil.to_airflow', { parsedArtifactId: 'art_new' }, [newCsv], [])).toEqual({});
  });

  it('says what users can upload, from the declared kinds', () => {
    const formats = uploadFormats(registry);
    expect(formats).toHaveLength(2);
    expect(formats.join(' ')).toMatch(/CSV/);
    expect(formats.join(' ')).toMatch(/AutoSys JIL/);
  });
});
