import { z } from 'zod';
import { param } from '../../define-workflow.js';

/** The CSV a workflow reads: an uploaded artifact. */
export const csvSourceParam = () =>
  param(z.string().regex(/^art_[A-Za-z0-9_-]+$/, 'expected the artifact id of an uploaded CSV (art_…)'), {
    description: 'The CSV file to read: the artifact id of an uploaded CSV (attach the file to your message).',
    ask: 'Which CSV should I use? Attach the file (or give its artifact id).',
    accepts: ['csv', 'text'],
  });
