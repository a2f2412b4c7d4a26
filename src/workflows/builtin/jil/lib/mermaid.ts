import type { JilAnalysis, JilBoxTreeNode, JilGraphEdge, JilGraphNode } from './analysis-schema.js';

/**
 * Mermaid flowchart of an analysis: boxes are subgraphs (nested), jobs are nodes (file watchers as
 * stadiums, jobs of other instances as hexagons, undefined jobs dotted), success edges solid, every
 * other status dashed and labelled. Ids are rewritten to `[A-Za-z0-9_]` (unique), labels escaped.
 */
export interface MermaidOptions {
  /** Flow direction. Default `LR`. */
  direction?: 'LR' | 'TB' | 'RL' | 'BT';
}

const LABEL_ESCAPES: Record<string, string> = { '"': '#quot;', '<': '#lt;', '>': '#gt;', '&': '#amp;', '#': '#35;' };

/** A label safe inside `["…"]`. */
export function mermaidLabel(text: string): string {
  return text.replace(/["<>&#]/g, (c) => LABEL_ESCAPES[c] ?? c).replace(/[\r\n]+/g, ' ');
}

/** Mermaid-safe, unique identifiers for arbitrary names. */
export class MermaidIds {
  private readonly ids = new Map<string, string>();
  private readonly used = new Set<string>();

  id(name: string): string {
    const known = this.ids.get(name);
    if (known !== undefined) return known;
    const base = `n_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let id = base;
    for (let k = 2; this.used.has(id); k++) id = `${base}_${k}`;
    this.used.add(id);
    this.ids.set(name, id);
    return id;
  }
}

function edgeLabel(e: JilGraphEdge): string {
  let label = e.status === 'exitcode' ? `exitcode ${e.op ?? ''} ${e.value ?? ''}` : e.status;
  if (e.lookbackMinutes !== undefined) {
    const h = Math.floor(e.lookbackMinutes / 60);
    const m = e.lookbackMinutes % 60;
    label += ` within ${h}h${m > 0 ? `${m}m` : ''}`;
  }
  return label;
}

function nodeShape(id: string, node: JilGraphNode): string {
  const label = mermaidLabel(node.id);
  if (!node.defined && node.instance !== undefined) return `${id}{{"${label}"}}:::external`;
  if (!node.defined) return `${id}["${label}"]:::undefinedJob`;
  if (node.type === 'FW' || node.type === 'FT') return `${id}(["${label}"])`;
  if (node.type === 'BOX') return `${id}[["${label}"]]`;
  return `${id}["${label}"]`;
}

/** Renders the analysis as a Mermaid `flowchart`. */
export function toMermaid(analysis: JilAnalysis, opts: MermaidOptions = {}): string {
  const ids = new MermaidIds();
  const byId = new Map(analysis.nodes.map((n) => [n.id, n]));
  const lines: string[] = [`flowchart ${opts.direction ?? 'LR'}`];
  const placed = new Set<string>();

  const emitBox = (box: JilBoxTreeNode, indent: string): void => {
    placed.add(box.name);
    if (box.jobs.length === 0 && box.boxes.length === 0) {
      // An empty subgraph does not render; show the box as a node.
      const node = byId.get(box.name);
      lines.push(`${indent}${node ? nodeShape(ids.id(box.name), node) : `${ids.id(box.name)}[["${mermaidLabel(box.name)}"]]`}`);
      return;
    }
    lines.push(`${indent}subgraph ${ids.id(box.name)}["${mermaidLabel(box.name)}"]`);
    for (const j of box.jobs) {
      const node = byId.get(j);
      if (node) lines.push(`${indent}  ${nodeShape(ids.id(j), node)}`);
      placed.add(j);
    }
    for (const b of box.boxes) emitBox(b, `${indent}  `);
    lines.push(`${indent}end`);
  };
  for (const b of analysis.boxTree) emitBox(b, '  ');
  for (const n of analysis.nodes) {
    if (!placed.has(n.id)) lines.push(`  ${nodeShape(ids.id(n.id), n)}`);
  }
  for (const e of analysis.edges) {
    const from = ids.id(e.from);
    const to = ids.id(e.to);
    if (e.status === 'success' && e.lookbackMinutes === undefined) lines.push(`  ${from} --> ${to}`);
    else if (e.status === 'success') lines.push(`  ${from} -->|"${mermaidLabel(edgeLabel(e))}"| ${to}`);
    else lines.push(`  ${from} -.->|"${mermaidLabel(edgeLabel(e))}"| ${to}`);
  }
  lines.push('  classDef undefinedJob stroke-dasharray: 4 3,fill:#fff4e5;');
  lines.push('  classDef external fill:#eef3ff;');
  return `${lines.join('\n')}\n`;
}
