import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm run test:pack`: only the packed-package test (npm pack → install → plain Node), which the default run leaves out.
export default defineConfig({ test: { ...base.test, include: ['test/package/**/*.test.ts'], exclude: [], hookTimeout: 300_000 } });
