import type { z } from 'zod';
import { CycleError } from '../errors/cycle-error.js';
import type { DagNode } from './run-spec.js';

/** Topological order of DAG nodes (iterative); a cycle is a CycleError naming it. */
export function dagOrder(nodes: z.infer<typeof DagNode>[]): string[] {
  const deps = new Map(nodes.map((n) => [n.id, n.dependsOn]));
  const state = new Map<string, 1 | 2>();
  const out: string[] = [];
  for (const n of nodes) {
    if (state.has(n.id)) continue;
    // each frame: a node and the index of the next dependency to visit
    const stack: { id: string; next: number }[] = [{ id: n.id, next: 0 }];
    state.set(n.id, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const ds = deps.get(top.id) ?? [];
      if (top.next < ds.length) {
        const d = ds[top.next++]!;
        const st = state.get(d);
        if (st === 2) continue;
        if (st === 1) {
          const path = stack.map((f) => f.id);
          const cycle = [...path.slice(path.indexOf(d)), d];
          throw new CycleError(`the dependencies form a cycle: ${cycle.join(' → ')}`, { details: { cycle } });
        }
        state.set(d, 1);
        stack.push({ id: d, next: 0 });
      } else {
        state.set(top.id, 2);
        out.push(top.id);
        stack.pop();
      }
    }
  }
  return out;
}
