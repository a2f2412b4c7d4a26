import { ValidationError } from '../../../../errors/validation-error.js';

/** Where and why a condition failed to parse. */
export interface JilConditionErrorDetails {
  /** The condition text. */
  text: string;
  /** 0-based offset of the offending character (text.length at the end). */
  position: number;
  /** What the parser expected there, e.g. `["')'", "'&'"]`. */
  expected: string[];
  /** What it found (`end of condition` at the end). */
  found: string;
}

/** A condition that does not parse. A ValidationError, so the API maps it to 400. */
export class JilConditionError extends ValidationError {
  readonly position: number;
  readonly expected: string[];
  readonly found: string;
  readonly text: string;

  constructor(message: string, details: JilConditionErrorDetails) {
    super(message, { details });
    this.name = 'JilConditionError';
    this.position = details.position;
    this.expected = details.expected;
    this.found = details.found;
    this.text = details.text;
  }
}
