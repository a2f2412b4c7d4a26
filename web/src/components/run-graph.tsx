import { useEffect, useState } from 'preact/hooks';
import { layers, type RunState, type StepState } from '../lib/runs';

const W = 168;
const H = 52;
const GX = 56;
const GY = 16;

function label(s: StepState): string {
  if (s.status === 'done' && s.ms !== undefined) return `done · ${s.ms < 1000 ? `${s.ms} ms` : `${(s.ms / 1000).toFixed(1)} s`}`;
  if (s.status === 'running' && s.startedAt) return 'running…';
  if (s.status === 'retrying') return 'failed, retrying';
  return s.status;
}

function useTick(active: boolean): number {
  const [t, setT] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const h = window.setInterval(() => setT(Date.now()), 500);
    return () => window.clearInterval(h);
  }, [active]);
  return t;
}

/**
 * A run's plan as a graph: one column per dependency depth, so parallel branches stand side by side
 * in one column; each node shows its state from the WebSocket events (queued, running, done, failed,
 * skipped) and its time. Steps the planner inserted (a parse a convert needs) are marked.
 */
export function RunGraph({ run }: { run: RunState }) {
  const now = useTick(run.status === 'running');
  const depth = run.hasEdges ? layers(run.steps) : new Map(run.steps.map((s, i) => [s.id, i]));
  const cols = new Map<number, StepState[]>();
  for (const s of run.steps) {
    const d = depth.get(s.id) ?? 0;
    cols.set(d, [...(cols.get(d) ?? []), s]);
  }
  const pos = new Map<string, { x: number; y: number }>();
  let maxRows = 1;
  for (const [d, list] of cols) {
    maxRows = Math.max(maxRows, list.length);
    list.forEach((s, i) => pos.set(s.id, { x: d * (W + GX), y: i * (H + GY) }));
  }
  const width = Math.max(1, cols.size) * (W + GX) - GX;
  const height = maxRows * (H + GY) - GY;
  const edges = run.hasEdges
    ? run.steps.flatMap((s) => s.dependsOn.filter((d) => pos.has(d)).map((d) => ({ from: pos.get(d)!, to: pos.get(s.id)!, key: `${d}->${s.id}` })))
    : run.steps.slice(1).map((s, i) => ({ from: pos.get(run.steps[i]!.id)!, to: pos.get(s.id)!, key: `${i}` }));
  const markerId = `arrow-${run.runId.replace(/[^A-Za-z0-9_-]/g, "")}`;
  const elapsed = ((run.finishedAt ?? now) - run.startedAt) / 1000;
  const done = run.steps.filter((s) => s.status === 'done' || s.status === 'skipped').length;

  return (
    <figure class={`run run-${run.status}`} data-run={run.runId} aria-label={`Run of ${run.workflow}`}>
      <figcaption>
        <strong>{run.workflow}</strong>
        <span class={`badge status-${run.status}`} data-testid="run-status">
          {run.status === 'completed' ? 'done' : run.status}
        </span>
        <span class="muted small">
          {done}/{run.steps.length} steps · {elapsed.toFixed(1)} s
        </span>
      </figcaption>
      <div class="run-scroll" tabIndex={0} role="region" aria-label={`Steps of ${run.workflow}`}>
        <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${run.steps.length} steps`}>
          <defs>
            <marker id={markerId} viewBox="0 0 8 8" refX="8" refY="4" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
              <path d="M0,0 L8,4 L0,8 z" class="edge-head" />
            </marker>
          </defs>
          {edges.map((e) => {
            const x1 = e.from.x + W;
            const y1 = e.from.y + H / 2;
            const x2 = e.to.x;
            const y2 = e.to.y + H / 2;
            const mx = (x1 + x2) / 2;
            return <path key={e.key} class="edge" d={`M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 2},${y2}`} marker-end={`url(#${markerId})`} />;
          })}
        </svg>
        <ol class="run-nodes" style={{ width: `${width}px`, height: `${height}px` }}>
          {run.steps.map((s) => {
            const p = pos.get(s.id)!;
            const running = s.status === 'running' && s.startedAt ? ` ${((now - s.startedAt) / 1000).toFixed(1)} s` : '';
            return (
              <li
                key={s.id}
                class={`run-node status-${s.status}${s.inserted ? ' inserted' : ''}`}
                data-step={s.id}
                data-status={s.status}
                style={{ left: `${p.x}px`, top: `${p.y}px`, width: `${W}px`, height: `${H}px` }}
                title={s.error ?? s.reason ?? `${s.workflow} · ${s.node}`}
              >
                <span class="node-name">
                  {s.node}
                  {s.inserted && <span class="tag">inserted</span>}
                </span>
                <span class="node-wf">{s.workflow}</span>
                <span class="node-state">
                  {label(s)}
                  {running}
                </span>
              </li>
            );
          })}
        </ol>
      </div>
      {run.error && <p class="error small">{run.error}</p>}
    </figure>
  );
}
