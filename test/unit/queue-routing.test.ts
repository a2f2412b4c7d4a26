import keySlot from 'cluster-key-slot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { nodeRouting } from '../../src/runtime/node-routing.js';
import { SLOTS, partitionTags, sessionPartition } from '../../src/runtime/partitions.js';
import { registerBuiltins } from '../../src/workflows/builtin/index.js';
import { defineWorkflow } from '../../src/workflows/define-workflow.js';
import { WorkflowRegistry } from '../../src/workflows/registry.js';

const wf = (name: string, queue?: string) =>
  defineWorkflow({
    name,
    description: 'x',
    examples: ['x'],
    ...(queue ? { queue } : {}),
    input: z.object({}),
    output: z.object({}),
    nodes: { only: { run: async () => ({}) } },
  });

describe('node queue routing', () => {
  it('the built-ins run on csv and jil; engine joins and unknown names on nodes', () => {
    const r = nodeRouting(registerBuiltins(new WorkflowRegistry()));
    expect(r.names).toEqual(['nodes', 'csv', 'jil']);
    expect(r.queueOf('csv.profile')).toBe('csv');
    expect(r.queueOf('jil.parse')).toBe('jil');
    expect(r.queueOf('__engine')).toBe('nodes');
  });

  it('config overrides a workflow, then its area, then the workflow\'s own queue', () => {
    const reg = new WorkflowRegistry().register(wf('a.one', 'heavy')).register(wf('a.two')).register(wf('b.three', 'heavy'));
    const r = nodeRouting(reg, [
      ['a.*', 'area-a'],
      ['a.one', 'solo'],
    ]);
    expect(r.queueOf('a.one')).toBe('solo');
    expect(r.queueOf('a.two')).toBe('area-a');
    expect(r.queueOf('b.three')).toBe('heavy');
    expect(r.names).toEqual(['nodes', 'area-a', 'heavy', 'solo']);
    expect(() => nodeRouting(reg, [['a.one', 'flows']])).toThrow(ConfigError);
  });

  it('a workflow cannot take a reserved or malformed queue name', () => {
    expect(() => wf('a.bad', 'orchestrator')).toThrow(/reserved/);
    expect(() => wf('a.bad', 'Big:Queue')).toThrow(/lowercase/);
  });

  it('reads the queue settings and names every bad one', () => {
    const c = loadConfig({
      DATAOPS_WORKFLOW_QUEUES: 'csv.profile=csv-big, jil.*=jil',
      DATAOPS_WORKER_QUEUES: 'csv,flows',
      DATAOPS_QUEUE_CONCURRENCY: 'csv=2,jil=16',
      DATAOPS_QUEUE_RATE_LIMIT: 'csv=10/60000',
      DATAOPS_QUEUE_PARTITIONS: '3',
      REDIS_CLUSTER_NODES: '10.0.0.1:7000,[::1]:7001',
    });
    expect(c.queues).toEqual({
      partitions: 3,
      workflowQueues: [
        ['csv.profile', 'csv-big'],
        ['jil.*', 'jil'],
      ],
      workerQueues: ['csv', 'flows'],
      concurrency: { csv: 2, jil: 16 },
      rateLimit: { csv: { max: 10, duration: 60000 } },
    });
    expect(c.redis.clusterNodes).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: '::1', port: 7001 },
    ]);
    expect(c.redis.startLocal).toBe(false);
    try {
      loadConfig({ DATAOPS_QUEUE_CONCURRENCY: 'csv=0', DATAOPS_QUEUE_RATE_LIMIT: 'csv=10', REDIS_CLUSTER_NODES: 'nohost', DATAOPS_WORKER_QUEUES: 'CSV!' });
      expect.unreachable();
    } catch (err) {
      const msg = (err as Error).message;
      for (const v of ['DATAOPS_QUEUE_CONCURRENCY', 'DATAOPS_QUEUE_RATE_LIMIT', 'REDIS_CLUSTER_NODES', 'DATAOPS_WORKER_QUEUES']) expect(msg).toContain(v);
    }
  });
});

describe('queue partitions', () => {
  it('one partition is the plain prefix (today\'s layout)', () => {
    expect(partitionTags('dataops', 1)).toEqual(['dataops']);
    expect(sessionPartition('sess_anything', 1)).toBe(0);
  });

  it('partition i hashes into the i-th N-th of the slot space, the same in every process', () => {
    for (const n of [2, 3, 5, 16]) {
      const tags = partitionTags('dataops', n);
      expect(new Set(tags).size).toBe(n);
      tags.forEach((t, i) => {
        const slot = keySlot(`{${t}}:nodes:wait`);
        expect(slot).toBeGreaterThanOrEqual(Math.floor((i * SLOTS) / n));
        expect(slot).toBeLessThan(Math.floor(((i + 1) * SLOTS) / n));
      });
      expect(partitionTags('dataops', n)).toEqual(tags);
    }
  });

  it('a session always maps to the same partition, and sessions spread over all of them', () => {
    const ids = Array.from({ length: 300 }, (_, i) => `sess_${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`);
    const counts = [0, 0, 0];
    for (const id of ids) {
      const p = sessionPartition(id, 3);
      expect(sessionPartition(id, 3)).toBe(p);
      counts[p]!++;
    }
    for (const c of counts) expect(c).toBeGreaterThan(50);
  });
});
