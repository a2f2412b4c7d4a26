import type { JilJob } from '../parse-schema.js';
import { scheduleFor } from './schedule.js';

/**
 * Top-level jobs outside boxes that depend on each other belong together: AutoSys starts the downstream
 * job when its condition is true, which in Airflow is an edge inside one DAG run, not a second DAG
 * waiting on the first through an ExternalTaskSensor. This groups the standalone jobs into connected
 * components (union-find over their condition edges, in either direction); every component becomes one
 * DAG. Boxes are not merged: a box is its own DAG (its schedule, its success rule), and a standalone job
 * conditioned on a box keeps a sensor.
 *
 * Edges counted: status and exit-code atoms on another standalone job of this file (`s(A)`, `f(A)`,
 * `d(A)`, `t(A)`, `e(A) = 0`). Not counted: `n(A)` (not running is a mutual exclusion, not an order), atoms
 * on another instance (`A^PRD`), a job's test of itself, atoms on boxes or jobs inside boxes.
 */
export interface StandaloneComponent {
  /** Members in file order. */
  jobs: JilJob[];
  /**
   * The job whose attributes give the DAG's schedule, owner and description: the first member with no
   * upstream inside the component that has its own schedule; else the first member with no upstream;
   * else (every member is on a cycle) the first member.
   */
  root: JilJob;
}

/** Connected components of the standalone jobs, in the file order of their first member. */
export function standaloneComponents(standalone: readonly JilJob[]): StandaloneComponent[] {
  const pos = new Map<string, number>(standalone.map((j, k) => [j.name, k]));
  const parent = standalone.map((_, k) => k);
  const find = (k: number): number => {
    let r = k;
    while (parent[r] !== r) r = parent[r] as number;
    for (let c = k; parent[c] !== r; ) {
      const next = parent[c] as number;
      parent[c] = r;
      c = next;
    }
    return r;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    // the smaller index stays the representative, so components keep file order
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const upstreams = new Map<string, Set<string>>();
  for (const [k, job] of standalone.entries()) {
    const ups = new Set<string>();
    for (const d of ordering(job)) {
      const u = pos.get(d);
      if (u === undefined) continue;
      ups.add(d);
      union(k, u);
    }
    upstreams.set(job.name, ups);
  }
  const groups = new Map<number, JilJob[]>();
  for (const [k, job] of standalone.entries()) {
    const r = find(k);
    const list = groups.get(r) ?? [];
    list.push(job);
    groups.set(r, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, jobs]) => {
      const roots = jobs.filter((j) => (upstreams.get(j.name)?.size ?? 0) === 0);
      const root = roots.find(hasOwnSchedule) ?? roots[0] ?? (jobs[0] as JilJob);
      return { jobs, root };
    });
}

/** True when the job has a start time of its own (date_conditions on, with a schedule that maps to cron). */
export function hasOwnSchedule(job: JilJob): boolean {
  return scheduleFor(job.attributes).cron !== null;
}

/** Names of the jobs whose end this job's condition waits for (see the module comment). */
function ordering(job: JilJob): string[] {
  return job.dependsOn.filter((d) => d.status !== 'notrunning' && d.instance === undefined && d.job !== job.name).map((d) => d.job);
}
