import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { JilAnalysis } from '../../src/workflows/builtin/jil/lib/analysis-schema.js';
import { analyzeJil } from '../../src/workflows/builtin/jil/lib/analyzer.js';
import { elementaryCycles, longestPath, stronglyConnected } from '../../src/workflows/builtin/jil/lib/graph.js';
import { MermaidIds, mermaidLabel, toMermaid } from '../../src/workflows/builtin/jil/lib/mermaid.js';
import { parseJil } from '../../src/workflows/builtin/jil/lib/parser.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/jil/', import.meta.url));
const analyzeFixture = (name: string) => analyzeJil(parseJil(readFileSync(`${FIXTURES}${name}`, 'utf8')));

describe('analyzeJil', () => {
  const a = analyzeFixture('graph-edge-cases.jil');

  it('validates against the zod schema', () => {
    expect(JilAnalysis.safeParse(a).success).toBe(true);
  });

  it('has one edge per condition atom, upstream → downstream, with its status', () => {
    expect(a.edges).toContainEqual({ from: 'G_LEAF_A1', to: 'G_LEAF_A2', status: 'success', crossBox: false, crossInstance: false });
    expect(a.edges).toContainEqual({ from: 'G_CHAIN_1', to: 'G_CHAIN_4', status: 'failure', crossBox: false, crossInstance: false });
    expect(a.edges).toContainEqual({ from: 'G_CHAIN_5', to: 'G_CHAIN_6', status: 'done', crossBox: false, crossInstance: false });
    expect(a.edges.filter((e) => e.to === 'G_CHAIN_4')).toHaveLength(2);
    expect(a.edges).toHaveLength(19);
  });

  it('finds roots and leaves on ordering edges only', () => {
    expect(a.roots).toEqual(['G_TOP_A', 'G_MID_A', 'G_LEAF_A1', 'G_SELF', 'G_CHAIN_1', 'G_MUTEX_1', 'G_MUTEX_2']);
    expect(a.leaves).toEqual(['G_MID_A', 'G_TOP_B', 'G_LEAF_B1', 'G_SELF', 'G_CHAIN_6', 'G_MUTEX_1', 'G_MUTEX_2']);
  });

  it('builds the nested box tree and lists standalone jobs', () => {
    expect(a.boxTree).toEqual([
      { name: 'G_TOP_A', jobs: ['G_LEAF_A3'], boxes: [{ name: 'G_MID_A', jobs: ['G_LEAF_A1', 'G_LEAF_A2'], boxes: [] }] },
      { name: 'G_TOP_B', jobs: ['G_LEAF_B1'], boxes: [] },
    ]);
    expect(a.standalone).toContain('G_CYC_1');
    expect(a.standalone).not.toContain('G_LEAF_A1');
  });

  it('finds the cycle and the self loop, but not notrunning mutual exclusion', () => {
    expect(a.cycles).toEqual([['G_CYC_1', 'G_CYC_2', 'G_CYC_3'], ['G_SELF']]);
    expect(a.cyclesTruncated).toBe(false);
  });

  it('lists undefined jobs, cross-box and cross-instance edges', () => {
    expect(a.undefinedJobs).toEqual([{ job: 'G_MISSING_JOB', referencedBy: ['G_LEAF_A3'] }]);
    expect(a.crossBoxEdges.map((e) => `${e.from}->${e.to}`)).toEqual(['G_TOP_A->G_TOP_B', 'G_LEAF_A3->G_LEAF_B1']);
    expect(a.crossInstanceEdges).toEqual([
      { from: 'EXT_JOB^DR1', to: 'G_LEAF_B1', status: 'success', instance: 'DR1', crossBox: false, crossInstance: true },
    ]);
    expect(a.nodes.find((n) => n.id === 'EXT_JOB^DR1')).toEqual({
      id: 'EXT_JOB^DR1',
      job: 'EXT_JOB',
      instance: 'DR1',
      defined: false,
      type: null,
      box: null,
      topBox: null,
    });
    expect(a.nodes.find((n) => n.id === 'G_LEAF_A1')).toMatchObject({ box: 'G_MID_A', topBox: 'G_TOP_A', defined: true });
  });

  it('returns the critical path by count after removing cycles', () => {
    expect(a.criticalPath).toEqual({
      length: 6,
      jobs: ['G_CHAIN_1', 'G_CHAIN_2', 'G_CHAIN_3', 'G_CHAIN_4', 'G_CHAIN_5', 'G_CHAIN_6'],
    });
  });

  describe('box-aware roots and critical path', () => {
    const boxed = analyzeJil(
      parseJil(
        [
          'insert_job: EXTRACT   job_type: CMD   command: /bin/extract',
          'insert_job: B_LOAD   job_type: BOX',
          'condition: s(EXTRACT)',
          'insert_job: B_INNER   job_type: BOX   box_name: B_LOAD',
          'insert_job: LOAD_1   job_type: CMD   box_name: B_INNER   command: /bin/l1',
          'insert_job: LOAD_2   job_type: CMD   box_name: B_INNER   command: /bin/l2',
          'condition: s(LOAD_1)',
          'insert_job: B_FREE   job_type: BOX',
          'insert_job: FREE_1   job_type: CMD   box_name: B_FREE   command: /bin/f1',
        ].join('\n'),
      ),
    );

    it('does not count a job whose enclosing box waits (at any depth) as a root', () => {
      expect(boxed.roots).toEqual(['EXTRACT', 'B_FREE', 'FREE_1']);
    });

    it('runs the critical path through box starts', () => {
      expect(boxed.criticalPath).toEqual({ length: 3, jobs: ['EXTRACT', 'LOAD_1', 'LOAD_2'] });
      // Box starts are not edges of their own: no cycle appears and the edge list is unchanged.
      expect(boxed.cycles).toEqual([]);
      expect(boxed.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['EXTRACT->B_LOAD', 'LOAD_1->LOAD_2']);
    });
  });

  it('collects global variables with their users', () => {
    const c = analyzeFixture('conditions.jil');
    expect(c.variables).toEqual([
      { name: 'LOAD_MODE', usedBy: ['C_VALUE'] },
      { name: 'RUN_COUNT', usedBy: ['C_VALUE'] },
    ]);
  });

  it('handles a 50 000-job chain without deep recursion', () => {
    const n = 50_000;
    const lines = ['insert_job: J0'];
    for (let k = 1; k < n; k++) lines.push(`insert_job: J${k}\ncondition: s(J${k - 1})`);
    lines.push(`update_job: J0\ncondition: s(J${n - 1})`);
    const big = analyzeJil(parseJil(lines.join('\n')));
    expect(big.cycles).toHaveLength(1);
    expect(big.cycles[0]).toHaveLength(n);
    expect(big.criticalPath.length).toBe(1);
  });
});

describe('graph algorithms', () => {
  it('Tarjan groups strongly connected nodes', () => {
    const { comp, count } = stronglyConnected(5, [[1], [2], [0], [4], []]);
    expect(count).toBe(3);
    expect(comp[0]).toBe(comp[1]);
    expect(comp[1]).toBe(comp[2]);
    expect(comp[3]).not.toBe(comp[4]);
  });

  it('enumerates each elementary cycle once and stops at the limit', () => {
    const adj = [[1, 2], [0, 2], [0]];
    const all = elementaryCycles(3, adj, { maxCycles: 100, maxSteps: 1000 });
    expect(all.cycles.map((c) => c.join(''))).toEqual(['01', '012', '02']);
    expect(all.truncated).toBe(false);
    const limited = elementaryCycles(3, adj, { maxCycles: 1, maxSteps: 1000 });
    expect(limited.cycles).toHaveLength(1);
    expect(limited.truncated).toBe(true);
  });

  it('finds the longest path by count', () => {
    expect(longestPath(5, [[1, 3], [2], [], [4], [2]])).toEqual([0, 3, 4, 2]);
    expect(longestPath(0, [])).toEqual([]);
  });
});

describe('toMermaid', () => {
  it('draws boxes as nested subgraphs, success solid, other statuses dashed', () => {
    const m = toMermaid(analyzeFixture('graph-edge-cases.jil'));
    const lines = m.split('\n').map((l) => l.trim());
    expect(lines[0]).toBe('flowchart LR');
    const topA = lines.indexOf('subgraph n_G_TOP_A["G_TOP_A"]');
    const midA = lines.indexOf('subgraph n_G_MID_A["G_MID_A"]');
    const leafA1 = lines.indexOf('n_G_LEAF_A1["G_LEAF_A1"]');
    expect(topA).toBeGreaterThan(0);
    expect(midA).toBeGreaterThan(topA);
    expect(leafA1).toBeGreaterThan(midA);
    expect(lines).toContain('n_G_LEAF_A1 --> n_G_LEAF_A2');
    expect(lines).toContain('n_G_CHAIN_1 -.->|"failure"| n_G_CHAIN_4');
    expect(lines).toContain('n_G_CHAIN_5 -.->|"done"| n_G_CHAIN_6');
    expect(lines).toContain('n_G_MISSING_JOB["G_MISSING_JOB"]:::undefinedJob');
    expect(lines).toContain('n_EXT_JOB_DR1{{"EXT_JOB^DR1"}}:::external');
    expect(lines.filter((l) => l === 'end')).toHaveLength(3);
  });

  it('labels lookbacks and exit codes', () => {
    const m = toMermaid(analyzeFixture('conditions.jil'));
    expect(m).toContain('n_C_A -->|"success within 2h30m"| n_C_LOOKBACK');
    expect(m).toContain('n_C_B -.->|"exitcode #gt;= 4"| n_C_EXITCODE');
  });

  it('escapes ids and labels', () => {
    const ids = new MermaidIds();
    expect(ids.id('a.b-c')).toBe('n_a_b_c');
    expect(ids.id('a_b_c')).toBe('n_a_b_c_2');
    expect(ids.id('a.b-c')).toBe('n_a_b_c');
    expect(ids.id('end')).toBe('n_end');
    expect(mermaidLabel('x"<y>&#')).toBe('x#quot;#lt;y#gt;#amp;#35;');
    const m = toMermaid(analyzeJil(parseJil('insert_job: "odd" job#1\ninsert_job: B\ncondition: s("odd")')));
    expect(m).toMatch(/n__odd__job_1\["#quot;odd#quot; job#35;1"\]/);
  });

  it('draws an empty box as a node (an empty subgraph would not render)', () => {
    const m = toMermaid(analyzeJil(parseJil('insert_job: EMPTY job_type: BOX')));
    expect(m).toContain('n_EMPTY[["EMPTY"]]');
    expect(m).not.toContain('subgraph');
  });
});
