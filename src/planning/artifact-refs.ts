import { ARTIFACT_ID_PATTERN } from '../artifacts/artifact.js';

/**
 * Every artifact id (`art_<uuid>`) anywhere inside a JSON value, e.g. a run spec: the ids whose
 * facts a caller reads before compiling. Iterative, so any depth is safe; each id once, in order.
 */
export function artifactIdsIn(value: unknown): string[] {
  const out = new Set<string>();
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (ARTIFACT_ID_PATTERN.test(v)) out.add(v);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else if (v !== null && typeof v === 'object') {
      const vals = Object.values(v);
      for (let i = vals.length - 1; i >= 0; i--) stack.push(vals[i]);
    }
  }
  return [...out];
}
