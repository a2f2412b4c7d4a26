// Copies the non-TypeScript files the built code reads at run time (the scaffolding templates) into dist/.
import { cpSync } from 'node:fs';

const root = new URL('../', import.meta.url);
cpSync(new URL('src/cli/dataops-workflow/templates/', root), new URL('dist/src/cli/dataops-workflow/templates/', root), { recursive: true });
