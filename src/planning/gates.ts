import type { PlanStep } from './plan.js';

/**
 * A branch of a `condition` spec: the steps inside it run only when it is taken. A prerequisite the
 * planner inserts for a step inside a branch gets the branch's gate (the branch's condition, and the
 * steps the branch's first steps wait for), so it is skipped with the branch. When steps under
 * different gates share one prerequisite, it moves out to the innermost branch holding all of them
 * (`commonGate`), or out of every branch: it then runs once for all of them.
 */
export interface Gate {
  /** Unique in one compile. */
  id: number;
  /** The test of the branch (`negate` for the else branch). */
  condition: NonNullable<PlanStep['condition']>;
  /** The steps the branch's first steps wait for (the tested step's terminals among them). */
  steps: readonly string[];
  /** The enclosing branch, or null at the top. */
  parent: Gate | null;
}

/** True when `inner` is `outer` or nested inside it (every gate is inside `null`, the top). */
export function gateWithin(inner: Gate | null, outer: Gate | null): boolean {
  if (outer === null) return true;
  for (let g = inner; g; g = g.parent) if (g === outer) return true;
  return false;
}

/** The innermost gate holding both (null when only the top holds both). */
export function commonGate(a: Gate | null, b: Gate | null): Gate | null {
  for (let g = a; g; g = g.parent) if (gateWithin(b, g)) return g;
  return null;
}
