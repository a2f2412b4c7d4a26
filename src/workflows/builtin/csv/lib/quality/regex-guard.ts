import { ValidationError } from '../../../../../errors/index.js';

/**
 * Finds a quantified group that itself contains an unbounded quantifier — `(a+)+`, `(\w*\s?)*`,
 * `(x+y?){2,}` — the classic shape of catastrophic backtracking. A heuristic: it cannot prove a
 * pattern safe (nor catch every exponential pattern, e.g. overlapping alternations), so regex
 * rules also cap the length of the values they test.
 */
export function findNestedQuantifier(pattern: string): string | null {
  // Stack of open groups: whether an unbounded quantifier occurred inside.
  const stack: { start: number; inner: boolean }[] = [];
  let inClass = false;
  let lastGroup: { start: number; inner: boolean } | null = null;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      lastGroup = null;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      lastGroup = null;
      continue;
    }
    if (c === '(') {
      stack.push({ start: i, inner: false });
      lastGroup = null;
      continue;
    }
    if (c === ')') {
      const g = stack.pop();
      lastGroup = g ?? null;
      if (g && g.inner && stack.length > 0) stack[stack.length - 1]!.inner = true;
      continue;
    }
    const brace = c === '{' ? /^\{(\d*)(,?)(\d*)\}/.exec(pattern.slice(i, i + 24)) : null;
    // Variable repetition: *, +, {n,}, {n,m} with m > n.
    const variable =
      c === '*' || c === '+' || (brace !== null && brace[2] === ',' && (brace[3] === '' || Number(brace[3]) > Number(brace[1] || 0)));
    const repeats = variable || (brace !== null && Number(brace[1]) > 1);
    if (repeats && lastGroup !== null && lastGroup.inner) return pattern.slice(lastGroup.start, i + (brace ? brace[0].length : 1));
    if (variable && stack.length > 0) stack[stack.length - 1]!.inner = true;
    lastGroup = null;
  }
  return null;
}

/** Compiles a user regex, rejecting invalid syntax and nested unbounded quantifiers (ValidationError). */
export function compileGuardedRegex(pattern: string, flags: string, where: string): RegExp {
  const nested = findNestedQuantifier(pattern);
  if (nested !== null) {
    throw new ValidationError(`${where}: pattern rejected, nested quantifier ${JSON.stringify(nested)} can backtrack catastrophically`, {
      details: { pattern },
    });
  }
  try {
    return new RegExp(pattern, flags);
  } catch (err) {
    throw new ValidationError(`${where}: invalid regular expression: ${(err as Error).message}`, { cause: err, details: { pattern } });
  }
}
