import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

/*
 * The files `dataops-workflow new` generates type-check under the project's strict tsconfig, for a
 * plain name and for one whose description needs escaping. Same clean checkout as
 * cli-workflow-checkout.test.ts (`git archive HEAD` + the CLI under test from the working tree).
 */

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI_PATHS = ['src/cli/dataops-workflow', 'bin/dataops-workflow.js'];
let dir: string;

const childEnv = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST'))),
  NO_COLOR: '1',
});

function run(cmd: string, args: string[], timeoutMs = 60_000): { code: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd: dir, env: childEnv(), encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout + r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dwf-tsc-'));
  const tar = spawnSync('git', ['archive', '--format=tar', 'HEAD'], { cwd: REPO, maxBuffer: 512 * 1024 * 1024 });
  expect(tar.status).toBe(0);
  expect(spawnSync('tar', ['-x', '-C', dir], { input: tar.stdout }).status).toBe(0);
  for (const p of CLI_PATHS) cpSync(join(REPO, p), join(dir, p), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('the generated workflows and tests type-check', () => {
  const description = `Deletes "old" rows it's told to: a \\ path, */ and \${x} stay text.`;
  expect(run(process.execPath, ['bin/dataops-workflow.js', 'new', 'demo_thing']).code).toBe(0);
  expect(run(process.execPath, ['bin/dataops-workflow.js', 'new', 'etl.delete', '--description', description]).code).toBe(0);
  const files = [
    'src/workflows/custom/index.ts',
    'src/workflows/custom/custom/demo_thing.ts',
    'src/workflows/custom/etl/delete.ts',
    'test/unit/workflows/custom.demo_thing.test.ts',
    'test/unit/workflows/etl.delete.test.ts',
  ];
  // Only the generated files (and what they import) plus the ambient declarations: others' work in
  // progress elsewhere in the tree must not decide this test.
  writeFileSync(join(dir, 'tsconfig.generated.json'), JSON.stringify({ extends: './tsconfig.json', include: ['src/types/**/*.d.ts'], files }));
  const r = run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.generated.json'], 110_000);
  const ours = r.out.split('\n').filter((l) => /^(src\/workflows\/custom|test\/unit\/workflows)\//.test(l));
  expect(ours).toEqual([]);
  // Errors elsewhere (files others are writing) are tolerated, but tsc must have run and checked.
  expect(r.code === 0 || /error TS/.test(r.out)).toBe(true);
}, 120_000);
