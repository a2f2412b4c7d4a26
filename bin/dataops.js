#!/usr/bin/env node
// In a checkout (sources present, e.g. after `npm link`) this runs the TypeScript sources through tsx, so no
// build step is needed; an installed package has only the built JavaScript in dist/ and runs that with plain Node.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/dataops/bin.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/src/cli/dataops/bin.js');
}
