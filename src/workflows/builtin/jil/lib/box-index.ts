import type { JilJob } from './parse-schema.js';

/**
 * The box hierarchy of a parse result. A job's effective parent is its `box` when that names a BOX
 * job defined in the result; a job whose box is missing (or not a BOX) counts as top-level — the
 * parser has already warned about it.
 */
export interface BoxIndex {
  byName: ReadonlyMap<string, JilJob>;
  /** Effective parent box, or null. */
  parentOf(name: string): string | null;
  /** The outermost box containing the job (a top-level box is its own); null for standalone jobs. */
  topBoxOf(name: string): string | null;
  /** Nesting depth: 0 for top-level jobs. */
  depthOf(name: string): number;
  /** Direct children of a box, in file order. */
  childrenOf(name: string): readonly JilJob[];
  /** Jobs without an effective parent, in file order. */
  topLevel: readonly JilJob[];
}

const MAX_DEPTH = 10_000;

/** Builds the box index of `jobs` (linear; tolerant of box_name cycles in hand-made input). */
export function buildBoxIndex(jobs: readonly JilJob[]): BoxIndex {
  const byName = new Map<string, JilJob>();
  for (const j of jobs) byName.set(j.name, j);
  const parent = new Map<string, string | null>();
  for (const j of jobs) {
    const p = j.box === null ? undefined : byName.get(j.box);
    parent.set(j.name, p && p.type === 'BOX' && p.name !== j.name ? p.name : null);
  }
  // Break any remaining cycle so every walk ends.
  const top = new Map<string, string | null>();
  const depth = new Map<string, number>();
  const resolve = (name: string): void => {
    const chain: string[] = [];
    const onChain = new Set<string>();
    let cur: string | null = name;
    while (cur !== null && !top.has(cur) && !onChain.has(cur) && chain.length < MAX_DEPTH) {
      chain.push(cur);
      onChain.add(cur);
      cur = parent.get(cur) ?? null;
    }
    if (cur !== null && onChain.has(cur)) {
      parent.set(chain[chain.length - 1] as string, null);
      cur = null;
    }
    let baseTop: string | null = cur === null ? null : (top.get(cur) ?? null);
    let baseDepth = cur === null ? -1 : (depth.get(cur) ?? 0);
    for (let k = chain.length - 1; k >= 0; k--) {
      const n = chain[k] as string;
      const job = byName.get(n);
      if (baseDepth < 0) baseTop = job?.type === 'BOX' ? n : null;
      baseDepth++;
      top.set(n, baseTop);
      depth.set(n, baseDepth);
    }
  };
  for (const j of jobs) if (!top.has(j.name)) resolve(j.name);

  const children = new Map<string, JilJob[]>();
  const topLevel: JilJob[] = [];
  for (const j of jobs) {
    const p = parent.get(j.name) ?? null;
    if (p === null) topLevel.push(j);
    else {
      const list = children.get(p);
      if (list) list.push(j);
      else children.set(p, [j]);
    }
  }
  return {
    byName,
    parentOf: (n) => parent.get(n) ?? null,
    topBoxOf: (n) => top.get(n) ?? null,
    depthOf: (n) => depth.get(n) ?? 0,
    childrenOf: (n) => children.get(n) ?? [],
    topLevel,
  };
}
