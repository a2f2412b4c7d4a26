#!/usr/bin/env node
// Launcher for the package `bin`: loads TypeScript through tsx, then runs the CLI entry (bin.ts).
import { register } from 'tsx/esm/api';

register();
await import('./bin.ts');
