import type { ReadIssues } from './read-options.js';

/** A fatal reading error, as reported in `issues.parseError`. */
export type SplitError = NonNullable<ReadIssues['parseError']>;

/**
 * Receives each non-blank record from a splitter, synchronously. The splitter's `currentLine()`
 * gives the record's first physical line while the call lasts.
 */
export type RecordSink = (cells: string[]) => void;
