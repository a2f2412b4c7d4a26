import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The done criterion: `dataops-workflow new demo_thing` in a clean checkout produces a
 * workflow whose generated test passes. A clean checkout here is `git archive HEAD` in a temp dir
 * (with node_modules linked from this one) plus the CLI under test from the working tree, so the
 * test checks this copy of the CLI against the committed rest of the project. The CLI runs through
 * the bin shim exactly as a user runs it. (cli-workflow-typecheck.test.ts type-checks the generated files.)
 */

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI_PATHS = ['src/cli/dataops-workflow', 'bin/dataops-workflow.js'];
let dir: string;

/** The child's environment: this one without vitest's own variables, and no colours. */
const childEnv = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST'))),
  NO_COLOR: '1',
  FORCE_COLOR: '0',
});

function run(cmd: string, args: string[], timeoutMs = 60_000): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd: dir, env: childEnv(), encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const cli = (...args: string[]) => run(process.execPath, ['bin/dataops-workflow.js', ...args]);

/** Every file and directory of the checkout except node_modules, with file contents. */
function snapshot(prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (rel === 'node_modules') continue;
    if (statSync(join(dir, rel)).isDirectory()) {
      out[`${rel}/`] = '';
      Object.assign(out, snapshot(rel));
    } else out[rel] = readFileSync(join(dir, rel), 'utf8');
  }
  return out;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dwf-checkout-'));
  const tar = spawnSync('git', ['archive', '--format=tar', 'HEAD'], { cwd: REPO, maxBuffer: 512 * 1024 * 1024 });
  expect(tar.status).toBe(0);
  const x = spawnSync('tar', ['-x', '-C', dir], { input: tar.stdout });
  expect(x.status).toBe(0);
  for (const p of CLI_PATHS) cpSync(join(REPO, p), join(dir, p), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('dataops-workflow in a clean checkout', () => {
  const generated = {
    demo: {
      workflow: 'src/workflows/custom/custom/demo_thing.ts',
      test: 'test/unit/workflows/custom.demo_thing.test.ts',
      docs: 'docs/workflows/custom.demo_thing.md',
    },
    tricky: {
      workflow: 'src/workflows/custom/etl/delete.ts',
      test: 'test/unit/workflows/etl.delete.test.ts',
      docs: 'docs/workflows/etl.delete.md',
    },
  };
  const trickyDescription = `Deletes "old" rows it's told to: a \\ path, */ and \${x} stay text.`;

  it('`new demo_thing` writes the workflow, its test and docs page and registers it', () => {
    const help = cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: dataops-workflow');

    const before = snapshot();
    const r = cli('new', 'demo_thing');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const after = snapshot();
    const added = Object.keys(after).filter((k) => !(k in before) && !k.endsWith('/'));
    expect(added.sort()).toEqual(Object.values(generated.demo).sort());
    const changed = Object.keys(before).filter((k) => k in after && before[k] !== after[k]);
    expect(changed).toEqual(['src/workflows/custom/index.ts']);
    expect(after['src/workflows/custom/index.ts']).toContain('registry.register(customDemoThingWorkflow);');

    const r2 = cli('new', 'etl.delete', '--description', trickyDescription);
    expect(r2.code).toBe(0);
  }, 60_000);

  it('bad and existing names exit 2 and 1 and write nothing', () => {
    const before = snapshot();
    // (every rule is unit-tested; here the two exit paths of the real process)
    for (const [args, code] of [
      [['new', 'custom.demo_thing'], 1],
      [['new', 'Demo-Thing'], 2],
    ] as const) {
      const r = cli(...args);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toMatch(/^error: /);
    }
    expect(snapshot()).toEqual(before);
  }, 60_000);

  it('the generated tests pass as generated', () => {
    const r = run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', generated.demo.test, generated.tricky.test], 90_000);
    expect(r.stdout + r.stderr).toMatch(/Test Files\s+2 passed \(2\)/);
    expect(r.code).toBe(0);
  }, 120_000);

  it('list, validate and docs see the new workflows in the real registry', () => {
    const list = cli('list', '--json');
    expect(list.code).toBe(0);
    const caps = JSON.parse(list.stdout) as { name: string; kind: string; description: string }[];
    expect(caps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'custom.demo_thing', kind: 'workflow' }),
        expect.objectContaining({ name: 'etl.delete', kind: 'workflow', description: trickyDescription }),
      ]),
    );

    const validate = cli('validate', '--json');
    const report = JSON.parse(validate.stdout) as { workflows: number; problems: string[]; warnings: string[] };
    expect(report.workflows).toBe(caps.filter((c) => c.kind === 'workflow').length);
    expect([...report.problems, ...report.warnings].filter((p) => /^(custom\.demo_thing|etl\.delete):/.test(p))).toEqual([]);
    expect(validate.code).toBe(report.problems.length === 0 ? 0 : 1);

    expect(cli('docs').code).toBe(0);
    const doc = readFileSync(join(dir, 'docs/workflows.md'), 'utf8');
    expect(doc).toContain('## `custom.demo_thing`');
    expect(doc).toContain('| `text` | string (1–100000 characters) | yes |  | The text to work on. | What text should I work on? |');
  }, 60_000);
});
