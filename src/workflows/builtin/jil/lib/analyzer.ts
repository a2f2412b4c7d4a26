import { hasAlternatives } from './condition-words.js';
import type { JilAnalysis, JilAnalyzeOptions, JilBoxTreeNode, JilGraphEdge, JilGraphNode } from './analysis-schema.js';
import { type BoxIndex, buildBoxIndex } from './box-index.js';
import { elementaryCycles, longestPath } from './graph.js';
import type { JilParseResult } from './parse-schema.js';

const DEFAULT_MAX_CYCLES = 100;
const DEFAULT_MAX_CYCLE_STEPS = 200_000;

/** Edge statuses that order jobs (a `notrunning` test does not wait for anything). */
function isOrdering(e: JilGraphEdge): boolean {
  return e.status !== 'notrunning' && !e.crossInstance;
}

/**
 * `waits[k]` is 1 when job k cannot start on its own: it has an ordering condition, or one of its
 * enclosing boxes (all the way up) has one.
 */
function boxWaits(names: readonly string[], hasUp: Uint8Array, idx: BoxIndex, dense: ReadonlyMap<string, number>): Uint8Array {
  const waits = new Uint8Array(names.length);
  const known = new Uint8Array(names.length);
  for (let k = 0; k < names.length; k++) {
    // Walk up until a job whose answer is known (or the top), then fill the chain top-down.
    const chain: number[] = [];
    let cur: number | undefined = k;
    while (cur !== undefined && !known[cur]) {
      chain.push(cur);
      const parent = idx.parentOf(names[cur] as string);
      cur = parent === null ? undefined : dense.get(parent);
    }
    let inherited = cur === undefined ? 0 : (waits[cur] as number);
    for (let c = chain.length - 1; c >= 0; c--) {
      const v = chain[c] as number;
      inherited = inherited || (hasUp[v] as number);
      waits[v] = inherited;
      known[v] = 1;
    }
  }
  return waits;
}

/**
 * The ordering adjacency plus the implicit edges of box starts, for the critical path: a job inside a box
 * starts only once its box's condition is met, so the predecessors of every enclosing box become
 * predecessors of the box's first jobs (those with no ordering predecessor in the same box).
 */
function boxAwareAdjacency(
  names: readonly string[],
  adj: readonly (readonly number[])[],
  preds: readonly (readonly number[])[],
  idx: BoxIndex,
  dense: ReadonlyMap<string, number>,
): number[][] {
  const out = adj.map((a) => [...a]);
  const linked = new Set<number>();
  const n = names.length;
  for (let v = 0; v < n; v++) for (const w of adj[v] ?? []) linked.add(v * n + w);
  for (let j = 0; j < n; j++) {
    const box = idx.parentOf(names[j] as string);
    if (box === null) continue;
    if ((preds[j] ?? []).some((u) => u !== j && idx.parentOf(names[u] as string) === box)) continue;
    for (let b: string | null = box; b !== null; b = idx.parentOf(b)) {
      const bk = dense.get(b);
      if (bk === undefined) break;
      for (const u of preds[bk] ?? []) {
        if (u === j || linked.has(u * n + j)) continue;
        linked.add(u * n + j);
        (out[u] as number[]).push(j);
      }
    }
  }
  return out;
}

/**
 * The dependency graph of a parse result: one edge per distinct condition atom (upstream → downstream),
 * roots and leaves, the box tree, cycles, undefined references, cross-box and cross-instance edges and
 * the critical path. Box membership is not an edge; roots, leaves, cycles and the critical path use
 * ordering edges between defined jobs (not `notrunning` tests, not other instances). Roots and the
 * critical path are box-aware: a root has no condition and neither has any enclosing box, and a box's
 * predecessors precede its first jobs on the critical path.
 */
export function analyzeJil(parsed: Pick<JilParseResult, 'jobs'>, opts: JilAnalyzeOptions = {}): JilAnalysis {
  const idx = buildBoxIndex(parsed.jobs);
  const nodes: JilGraphNode[] = [];
  const nodeById = new Map<string, JilGraphNode>();
  for (const j of parsed.jobs) {
    const n: JilGraphNode = { id: j.name, job: j.name, defined: true, type: j.type, box: idx.parentOf(j.name), topBox: idx.topBoxOf(j.name) };
    nodes.push(n);
    nodeById.set(n.id, n);
  }

  const edges: JilGraphEdge[] = [];
  const seen = new Set<string>();
  const undefinedRefs = new Map<string, string[]>();
  const variables = new Map<string, string[]>();
  for (const j of parsed.jobs) {
    for (const v of j.variables) {
      const users = variables.get(v.name);
      if (users === undefined) variables.set(v.name, [j.name]);
      else if (users[users.length - 1] !== j.name) users.push(j.name);
    }
    for (const d of j.dependsOn) {
      const from = d.instance === undefined ? d.job : `${d.job}^${d.instance}`;
      const key = `${from}\u0000${j.name}\u0000${d.status}\u0000${d.op ?? ''}\u0000${d.value ?? ''}\u0000${d.lookbackMinutes ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let up = nodeById.get(from);
      if (!up) {
        up = { id: from, job: d.job, defined: false, type: null, box: null, topBox: null };
        if (d.instance !== undefined) up.instance = d.instance;
        nodes.push(up);
        nodeById.set(from, up);
      }
      if (d.instance === undefined && !up.defined) {
        const refs = undefinedRefs.get(d.job);
        if (refs === undefined) undefinedRefs.set(d.job, [j.name]);
        else if (!refs.includes(j.name)) refs.push(j.name);
      }
      const crossInstance = d.instance !== undefined;
      const edge: JilGraphEdge = {
        from,
        to: j.name,
        status: d.status,
        crossBox: !crossInstance && up.defined && up.topBox !== idx.topBoxOf(j.name),
        crossInstance,
      };
      if (d.instance !== undefined) edge.instance = d.instance;
      if (d.lookbackMinutes !== undefined) edge.lookbackMinutes = d.lookbackMinutes;
      if (d.op !== undefined) edge.op = d.op;
      if (d.value !== undefined) edge.value = d.value;
      edges.push(edge);
    }
  }

  // Dense ids for the defined jobs; ordering adjacency among them.
  const dense = new Map<string, number>();
  parsed.jobs.forEach((j, k) => dense.set(j.name, k));
  const n = parsed.jobs.length;
  const adj: number[][] = Array.from({ length: n }, () => []);
  const preds: number[][] = Array.from({ length: n }, () => []);
  const hasUp = new Uint8Array(n);
  const hasDown = new Uint8Array(n);
  const linked = new Set<number>();
  for (const e of edges) {
    if (!isOrdering(e)) continue;
    const a = dense.get(e.from);
    const b = dense.get(e.to);
    if (a === undefined || b === undefined) continue;
    if (!linked.has(a * n + b)) {
      linked.add(a * n + b);
      (adj[a] as number[]).push(b);
      (preds[b] as number[]).push(a);
    }
    if (a !== b) {
      hasUp[b] = 1;
      hasDown[a] = 1;
    }
  }
  const names = parsed.jobs.map((j) => j.name);
  const { cycles, truncated } = elementaryCycles(n, adj, {
    maxCycles: opts.maxCycles ?? DEFAULT_MAX_CYCLES,
    maxSteps: opts.maxCycleSteps ?? DEFAULT_MAX_CYCLE_STEPS,
  });
  const path = longestPath(n, boxAwareAdjacency(names, adj, preds, idx, dense));
  const waits = boxWaits(names, hasUp, idx, dense);

  const boxTree = (name: string): JilBoxTreeNode => {
    const node: JilBoxTreeNode = { name, jobs: [], boxes: [] };
    for (const c of idx.childrenOf(name)) {
      if (c.type === 'BOX') node.boxes.push(boxTree(c.name));
      else node.jobs.push(c.name);
    }
    return node;
  };

  return {
    nodes,
    edges,
    roots: names.filter((_, k) => !waits[k]),
    leaves: names.filter((_, k) => !hasDown[k]),
    boxTree: idx.topLevel.filter((j) => j.type === 'BOX').map((j) => boxTree(j.name)),
    standalone: idx.topLevel.filter((j) => j.type !== 'BOX').map((j) => j.name),
    cycles: cycles.map((c) => c.map((v) => names[v] as string)),
    cyclesTruncated: truncated,
    undefinedJobs: [...undefinedRefs].map(([job, referencedBy]) => ({ job, referencedBy })),
    crossBoxEdges: edges.filter((e) => e.crossBox),
    crossInstanceEdges: edges.filter((e) => e.crossInstance),
    criticalPath: { length: path.length, jobs: path.map((v) => names[v] as string) },
    variables: [...variables].map(([name, usedBy]) => ({ name, usedBy })),
    alternatives: Object.fromEntries(parsed.jobs.flatMap((j) => (j.condition && hasAlternatives(j.condition.ast) ? [[j.name, j.condition.ast] as const] : []))),
  };
}
