/**
 * Graph algorithms on dense integer ids (0..n-1) with adjacency lists. All iterative, so a 100 000-job
 * chain does not overflow the call stack.
 */

/** Strongly connected components (Tarjan, iterative). `comp[v]` is v's component number. */
export function stronglyConnected(n: number, adj: readonly (readonly number[])[]): { comp: Int32Array; count: number } {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const work: number[] = []; // pairs (node, next edge position)
  let next = 0;
  let count = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    work.push(root, 0);
    while (work.length > 0) {
      const v = work[work.length - 2] as number;
      const pos = work[work.length - 1] as number;
      if (pos === 0) {
        index[v] = low[v] = next++;
        stack.push(v);
        onStack[v] = 1;
      }
      const edges = adj[v] ?? [];
      if (pos < edges.length) {
        work[work.length - 1] = pos + 1;
        const w = edges[pos] as number;
        if (index[w] === -1) work.push(w, 0);
        else if (onStack[w]) low[v] = Math.min(low[v] as number, index[w] as number);
        continue;
      }
      work.length -= 2;
      if (work.length > 0) {
        const parent = work[work.length - 2] as number;
        low[parent] = Math.min(low[parent] as number, low[v] as number);
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = 0;
          comp[w] = count;
        } while (w !== v);
        count++;
      }
    }
  }
  return { comp, count };
}

/**
 * Elementary cycles, each rooted at its smallest node and listed once, found by a bounded search inside
 * each non-trivial strongly connected component. Stops after `maxCycles` cycles or `maxSteps` search
 * steps (then `truncated` is true). Self-loops count as cycles of one node.
 */
export function elementaryCycles(
  n: number,
  adj: readonly (readonly number[])[],
  opts: { maxCycles: number; maxSteps: number },
): { cycles: number[][]; truncated: boolean } {
  const { comp } = stronglyConnected(n, adj);
  const size = new Map<number, number>();
  for (let v = 0; v < n; v++) size.set(comp[v] as number, (size.get(comp[v] as number) ?? 0) + 1);
  const cycles: number[][] = [];
  let steps = 0;
  let truncated = false;
  const onPath = new Uint8Array(n);
  for (let s = 0; s < n && !truncated; s++) {
    const cs = comp[s] as number;
    const selfLoop = (adj[s] ?? []).includes(s);
    if (selfLoop) {
      if (cycles.length >= opts.maxCycles) {
        truncated = true;
        break;
      }
      cycles.push([s]);
    }
    if ((size.get(cs) ?? 0) < 2) continue;
    // DFS over nodes > s in the same component, looking for edges back to s.
    const path: number[] = [s];
    const pos: number[] = [0];
    onPath[s] = 1;
    while (path.length > 0) {
      if (++steps > opts.maxSteps) {
        truncated = true;
        break;
      }
      const v = path[path.length - 1] as number;
      const edges = adj[v] ?? [];
      const p = pos[pos.length - 1] as number;
      if (p >= edges.length) {
        onPath[v] = 0;
        path.pop();
        pos.pop();
        continue;
      }
      pos[pos.length - 1] = p + 1;
      const w = edges[p] as number;
      if (w === s && v !== s) {
        if (cycles.length >= opts.maxCycles) {
          truncated = true;
          break;
        }
        cycles.push([...path]);
      } else if (w > s && comp[w] === cs && !onPath[w]) {
        onPath[w] = 1;
        path.push(w);
        pos.push(0);
      }
    }
    for (const v of path) onPath[v] = 0;
  }
  return { cycles, truncated };
}

/**
 * Longest path by node count in the graph left after dropping every edge inside a non-trivial strongly
 * connected component (i.e. after removing cycles). Ties go to the path found first in node order.
 */
export function longestPath(n: number, adj: readonly (readonly number[])[]): number[] {
  if (n === 0) return [];
  const { comp } = stronglyConnected(n, adj);
  const dag: number[][] = [];
  const indeg = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    const out: number[] = [];
    for (const w of adj[v] ?? []) {
      if (comp[v] === comp[w]) continue;
      out.push(w);
      indeg[w] = (indeg[w] as number) + 1;
    }
    dag.push(out);
  }
  const best = new Int32Array(n).fill(1);
  const prev = new Int32Array(n).fill(-1);
  const queue: number[] = [];
  for (let v = 0; v < n; v++) if (indeg[v] === 0) queue.push(v);
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q] as number;
    for (const w of dag[v] ?? []) {
      if ((best[v] as number) + 1 > (best[w] as number)) {
        best[w] = (best[v] as number) + 1;
        prev[w] = v;
      }
      indeg[w] = (indeg[w] as number) - 1;
      if (indeg[w] === 0) queue.push(w);
    }
  }
  let end = 0;
  for (let v = 1; v < n; v++) if ((best[v] as number) > (best[end] as number)) end = v;
  const path: number[] = [];
  for (let v = end; v !== -1; v = prev[v] as number) path.push(v);
  return path.reverse();
}
