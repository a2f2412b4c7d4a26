import { stronglyConnected } from '../graph.js';
import type { AirflowModel } from './model.js';

/**
 * Which in-DAG dependencies would close a cycle (Airflow refuses to load a DAG with one; AutoSys would
 * simply never run the jobs). The graph mirrors the generated code conservatively: a box is two nodes
 * (its start precedes its jobs, its end follows them), a job one node, and every ordering atom between
 * jobs of the same DAG an edge from the upstream's end to the downstream's start. Edges inside a strongly
 * connected component become TODOs instead of `>>`.
 */
export function inDagCycleCheck(model: AirflowModel): (upstream: string, downstream: string) => boolean {
  const ids = new Map<string, number>();
  const adj: number[][] = [];
  const node = (key: string): number => {
    let id = ids.get(key);
    if (id === undefined) {
      id = adj.length;
      ids.set(key, id);
      adj.push([]);
    }
    return id;
  };
  const isBox = (name: string): boolean => model.index.byName.get(name)?.type === 'BOX';
  const startOf = (name: string): number => node(isBox(name) ? `s:${name}` : `j:${name}`);
  const endOf = (name: string): number => node(isBox(name) ? `e:${name}` : `j:${name}`);
  /** True when box `a` contains job `b` (at any depth). */
  const contains = (a: string, b: string): boolean => {
    let steps = 0;
    for (let p = model.index.parentOf(b); p !== null && steps < 10_000; p = model.index.parentOf(p), steps++) if (p === a) return true;
    return false;
  };

  for (const job of model.index.byName.values()) {
    const parent = model.index.parentOf(job.name);
    if (parent !== null) {
      adj[startOf(parent)]?.push(startOf(job.name));
      adj[endOf(job.name)]?.push(endOf(parent));
    }
  }
  for (const job of model.index.byName.values()) {
    const dag = model.places.get(job.name)?.dag;
    for (const d of job.dependsOn) {
      if (d.status === 'notrunning' || d.instance !== undefined || d.job === job.name) continue;
      const up = model.places.get(d.job);
      if (!up || up.dag !== dag || contains(d.job, job.name) || contains(job.name, d.job)) continue;
      adj[endOf(d.job)]?.push(startOf(job.name));
    }
  }
  const { comp } = stronglyConnected(adj.length, adj);
  const size = new Map<number, number>();
  for (let v = 0; v < adj.length; v++) size.set(comp[v] as number, (size.get(comp[v] as number) ?? 0) + 1);
  return (upstream, downstream) => {
    const a = ids.get(isBox(upstream) ? `e:${upstream}` : `j:${upstream}`);
    const b = ids.get(isBox(downstream) ? `s:${downstream}` : `j:${downstream}`);
    if (a === undefined || b === undefined) return false;
    return comp[a] === comp[b] && (size.get(comp[a] as number) ?? 0) > 1;
  };
}
