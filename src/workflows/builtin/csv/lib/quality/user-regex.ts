import RE2 from 're2';
import { ValidationError } from '../../../../../errors/index.js';

/** What a regex rule needs of a compiled pattern. */
export interface UserRegex {
  test(value: string): boolean;
}

/**
 * Why RE2 refuses `pattern` with `flags`, or null when it compiles. RE2 matches in time linear in
 * the input (no backtracking), so `^(a|aa)+$` cannot wedge a worker; in exchange it has no
 * backreferences (`\1`) and no lookaround (`(?=…)`, `(?<!…)`).
 */
export function userRegexProblem(pattern: string, flags: string): string | null {
  try {
    new RE2(pattern, flags);
    return null;
  } catch (err) {
    const why = (err as Error).message;
    return `invalid regular expression ${JSON.stringify(pattern)}: ${why} (RE2 syntax: no backreferences or lookaround)`;
  }
}

/** Compiles a user regex on the linear-time RE2 engine; ValidationError when RE2 cannot compile it. */
export function compileUserRegex(pattern: string, flags: string, where: string): UserRegex {
  const problem = userRegexProblem(pattern, flags);
  if (problem !== null) throw new ValidationError(`${where}: ${problem}`, { details: { pattern } });
  return new RE2(pattern, flags);
}
