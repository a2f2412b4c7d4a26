import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli, type CliIo } from '../../src/cli/dataops-workflow/cli.js';
import { renderCustomIndex } from '../../src/cli/dataops-workflow/custom-index.js';
import type { RegistryLoader } from '../../src/cli/dataops-workflow/load-registry.js';
import { renderWorkflowsDoc } from '../../src/cli/dataops-workflow/render-docs.js';
import { writeAllOrNothing } from '../../src/cli/dataops-workflow/write-files.js';
import { AppError } from '../../src/errors/app-error.js';
import { ConflictError } from '../../src/errors/conflict-error.js';
import { defineWorkflow, param } from '../../src/workflows/define-workflow.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';

let root: string;

/** A minimal checkout: the root marker and an empty custom index. */
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'dwf-unit-'));
  mkdirSync(join(root, 'src/workflows/custom'), { recursive: true });
  writeFileSync(join(root, 'src/workflows/define-workflow.ts'), '// marker\n');
  writeFileSync(join(root, 'src/workflows/custom/index.ts'), renderCustomIndex([]));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Every file under `dir` (and every directory, so a leftover empty one shows) with its content. */
function snapshot(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(join(dir, rel)).isDirectory()) {
      out[`${rel}/`] = '';
      Object.assign(out, snapshot(dir, rel));
    } else out[rel] = readFileSync(join(dir, rel), 'utf8');
  }
  return out;
}

const registered = defineWorkflow({
  name: 'demo.taken',
  description: 'Already here.',
  examples: ['taken'],
  input: z.object({ n: param(z.number(), { description: 'n', ask: 'Which n?' }) }),
  output: z.object({}),
  nodes: { only: { run: async () => ({}) } },
});
const loader: RegistryLoader = async () => new WorkflowRegistry().register(registered);

async function cli(args: string[], options: { cwd?: string; loadRegistry?: RegistryLoader } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: options.cwd ?? root };
  const code = await runCli(args, io, { loadRegistry: options.loadRegistry ?? loader });
  return { code, stdout, stderr };
}

describe('dataops-workflow new', () => {
  it('writes the workflow, test and docs page and registers it in the custom index', async () => {
    const r = await cli(['new', 'demo_thing', '--description', 'Does the demo thing.']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('Created workflow custom.demo_thing');
    const files = snapshot(root);
    expect(files['src/workflows/custom/custom/demo_thing.ts']).toContain("description: 'Does the demo thing.',");
    expect(files['test/unit/workflows/custom.demo_thing.test.ts']).toContain('customDemoThingWorkflow');
    expect(files['docs/workflows/custom.demo_thing.md']).toContain('Does the demo thing.');
    expect(files['src/workflows/custom/index.ts']).toBe(renderCustomIndex([{ name: 'custom.demo_thing', identifier: 'customDemoThingWorkflow' }]));

    // a second one keeps the index sorted
    expect((await cli(['new', 'alpha.first'])).code).toBe(0);
    const index = readFileSync(join(root, 'src/workflows/custom/index.ts'), 'utf8');
    expect(index.indexOf('alphaFirstWorkflow')).toBeLessThan(index.indexOf('customDemoThingWorkflow'));
    expect(readFileSync(join(root, 'src/workflows/custom/alpha/first.ts'), 'utf8')).toContain("description: 'First: counts the characters");
  });

  it('--queue puts the new workflow on its own queue (module, docs page, next steps)', async () => {
    const r = await cli(['new', 'big.scan', '--queue', 'big-files']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('workers/nodes.ts big-files');
    expect(readFileSync(join(root, 'src/workflows/custom/big/scan.ts'), 'utf8')).toContain("queue: 'big-files',");
    expect(readFileSync(join(root, 'docs/workflows/big.scan.md'), 'utf8')).toContain('the `big-files` queue');
    expect((await cli(['new', 'small.scan'])).code).toBe(0);
    expect(readFileSync(join(root, 'src/workflows/custom/small/scan.ts'), 'utf8')).toContain("queue: 'nodes',");
  });

  it('finds the repo root from a subdirectory', async () => {
    const sub = join(root, 'src/workflows');
    expect((await cli(['new', 'x.y'], { cwd: sub })).code).toBe(0);
    expect(statSync(join(root, 'src/workflows/custom/x/y.ts')).isFile()).toBe(true);
  });

  it.each([
    [['new', 'Bad-Name'], 2, /did you mean "bad_name"/],
    [['new', ''], 2, /required/],
    [['new', 'test.thing'], 2, /reserved area/],
    [['new', 'ok_name', '--description', ' \n '], 2, /--description must not be empty/],
    [['new', 'ok_name', '--description', 'x'.repeat(501)], 2, /limit is 500/],
    [['new', 'ok_name', '--dir', '/'], 2, /not a DataOps Agent checkout/],
    [['new'], 2, /missing required argument/],
    [['new', 'demo.taken'], 1, /already registered/],
    [['new', 'ok_name', '--queue', 'Big Files'], 2, /--queue: queue "Big Files" must be lowercase/],
    [['new', 'ok_name', '--queue', 'flows'], 2, /--queue: queue "flows" is reserved/],
  ])('%j exits %i and writes nothing', async (args, code, message) => {
    const before = snapshot(root);
    const r = await cli(args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses an existing name (files or index entry) with exit 1 and writes nothing', async () => {
    expect((await cli(['new', 'demo_thing'])).code).toBe(0);
    const before = snapshot(root);
    for (const name of ['demo_thing', 'custom.demo_thing']) {
      const r = await cli(['new', name]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('would overwrite src/workflows/custom/custom/demo_thing.ts');
    }
    // files gone but still in the index: still a conflict
    rmSync(join(root, 'src/workflows/custom/custom'), { recursive: true });
    rmSync(join(root, 'test'), { recursive: true });
    rmSync(join(root, 'docs'), { recursive: true });
    const left = snapshot(root);
    const r = await cli(['new', 'demo_thing']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already registered in the custom index');
    expect(snapshot(root)).toEqual(left);
    expect(Object.keys(before).length).toBeGreaterThan(Object.keys(left).length);
  });

  it('refuses to rewrite a hand-edited index', async () => {
    const path = join(root, 'src/workflows/custom/index.ts');
    writeFileSync(path, `${readFileSync(path, 'utf8')}export const extra = 1;\n`);
    const before = snapshot(root);
    const r = await cli(['new', 'demo_thing']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not in the form dataops-workflow maintains/);
    expect(snapshot(root)).toEqual(before);
  });

  it('writes nothing when the registry cannot be built', async () => {
    const before = snapshot(root);
    const failing: RegistryLoader = async () => {
      throw new AppError('registry_load_failed', 'cannot build the workflow registry: boom');
    };
    const r = await cli(['new', 'demo_thing'], { loadRegistry: failing });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('boom');
    expect(snapshot(root)).toEqual(before);
  });

  it('removes what it wrote when a write fails midway', async () => {
    // `docs/workflows` is a file, so the docs page (third file) cannot be written
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs/workflows'), 'in the way\n');
    const before = snapshot(root);
    const r = await cli(['new', 'demo_thing']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/docs\/workflows/);
    expect(snapshot(root)).toEqual(before);
  });
});

describe('writeAllOrNothing', () => {
  it('restores a replaced file when a later write fails', async () => {
    writeFileSync(join(root, 'keep.txt'), 'old\n');
    writeFileSync(join(root, 'blocker'), 'file\n');
    const before = snapshot(root);
    await expect(
      writeAllOrNothing(root, [
        { path: 'keep.txt', content: 'new\n', mode: 'replace' },
        { path: 'a/b/c.txt', content: 'c\n', mode: 'create' },
        { path: 'blocker/d.txt', content: 'd\n', mode: 'create' },
      ]),
    ).rejects.toMatchObject({ code: 'write_failed' });
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses to replace a file that changed since it was read, and rolls back', async () => {
    writeFileSync(join(root, 'index.ts'), 'theirs\n');
    const before = snapshot(root);
    const write = writeAllOrNothing(root, [
      { path: 'new/file.ts', content: 'x\n', mode: 'create' },
      { path: 'index.ts', content: 'mine\n', mode: 'replace', expected: 'what I read\n' },
    ]);
    await expect(write).rejects.toBeInstanceOf(ConflictError);
    await expect(write).rejects.toThrow(/index\.ts changed while this command ran/);
    expect(snapshot(root)).toEqual(before);
  });

  it('never overwrites on create', async () => {
    writeFileSync(join(root, 'there.txt'), 'mine\n');
    await expect(writeAllOrNothing(root, [{ path: 'there.txt', content: 'x', mode: 'create' }])).rejects.toThrow(/cannot create there\.txt/);
    expect(readFileSync(join(root, 'there.txt'), 'utf8')).toBe('mine\n');
  });
});

describe('dataops-workflow list, docs, validate', () => {
  it('list prints the registry as text and JSON', async () => {
    const text = await cli(['list']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^NAME\s+KIND\s+DESCRIPTION\ndemo\.taken\s+workflow\s+Already here\.\n/);
    const json = await cli(['list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ name: 'demo.taken', kind: 'workflow', description: 'Already here.', nodes: ['only'] }),
    ]);
  });

  it('docs writes the page, and --check tells whether it is current', async () => {
    expect((await cli(['docs', '--check'])).code).toBe(1);
    const r = await cli(['docs']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('wrote docs/workflows.md (1 workflow, 0 chains)\n');
    const written = readFileSync(join(root, 'docs/workflows.md'), 'utf8');
    expect(written).toBe(renderWorkflowsDoc(await loader(root)));
    expect(await cli(['docs', '--check'])).toMatchObject({ code: 0, stdout: 'docs/workflows.md is up to date\n' });
    writeFileSync(join(root, 'docs/workflows.md'), `${written}stale\n`);
    expect(await cli(['docs', '--check'])).toMatchObject({ code: 1, stderr: expect.stringContaining('out of date') });
    expect((await cli(['docs', '--out', 'elsewhere/w.md'])).code).toBe(0);
    expect(readFileSync(join(root, 'elsewhere/w.md'), 'utf8')).toBe(written);
  });

  it('validate exits 0 for a good registry and 1 with the problems otherwise', async () => {
    expect(await cli(['validate'])).toMatchObject({ code: 0, stdout: 'ok: 1 workflow and 0 chains valid\n' });
    const bad: RegistryLoader = async () =>
      new WorkflowRegistry().register(
        defineWorkflow({
          name: 'demo.bad',
          description: 'Bad.',
          examples: ['bad'],
          input: z.object({ q: z.string() }),
          output: z.object({}),
          nodes: { only: { run: async () => ({}) } },
        }),
      );
    const r = await cli(['validate'], { loadRegistry: bad });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('2 problems in 1 workflow and 0 chains:');
    expect(r.stdout).toContain('  - demo.bad: parameter "q" has no description');
    const json = await cli(['validate', '--json'], { loadRegistry: bad });
    expect(JSON.parse(json.stdout).problems).toHaveLength(2);
    const broken = await cli(['validate'], { loadRegistry: async () => Promise.reject(new Error('syntax error in x.ts')) });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('the registry does not build: syntax error in x.ts');
  });

  it('help exits 0, no command or an unknown one exits 2', async () => {
    const help = await cli(['new', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('becomes custom.action');
    expect((await cli([])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['list', '--bogus'])).code).toBe(2);
  });
});
