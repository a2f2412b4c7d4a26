#!/usr/bin/env node
// Runs the TypeScript sources of the `dataops` client CLI through tsx (a dependency), so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/dataops/bin.ts');
