import { CreateMultipartUploadCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAINTENANCE_JOBS, scheduleMaintenance } from '../../src/runtime/maintenance.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { openUploads, partFilesOnDisk } from '../support/multipart-uploads.js';

let h: EngineHarness;

beforeAll(async () => {
  h = await startEngineHarness({ env: { DATAOPS_CRON_SESSIONS: '*/5 * * * *', DATAOPS_PENDING_TTL_MINUTES: '30', DATAOPS_MULTIPART_MAX_AGE_MS: '1000' } });
  await h.startWorkers({ queues: ['maintenance'] });
});
afterAll(async () => h?.cleanup());

async function runNow(name: string): Promise<{ expired: number }> {
  const job = await h.rt.producer.queues.maintenance.add(name, {}, { removeOnComplete: false });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const state = await job.getState();
    if (state === 'completed') return (await h.rt.producer.queues.maintenance.getJob(job.id!))!.returnvalue as { expired: number };
    if (state === 'failed' || Date.now() > deadline) throw new Error(`maintenance job ${name} ended ${state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('maintenance job schedulers', () => {
  it('upserts one repeatable job per expiry task on the configured cron patterns (idempotently)', async () => {
    await scheduleMaintenance(h.rt.producer.queues, h.rt.config.maintenance);
    await scheduleMaintenance(h.rt.producer.queues, h.rt.config.maintenance);
    const schedulers = await h.rt.producer.queues.maintenance.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual(Object.values(MAINTENANCE_JOBS).sort());
    expect(schedulers.find((s) => s.key === MAINTENANCE_JOBS.sessions)?.pattern).toBe('*/5 * * * *');
  });

  it('expires sessions idle past the TTL and leaves active ones alone', async () => {
    const old = await h.rt.sessions.create('u1');
    const fresh = await h.rt.sessions.create('u1');
    await h.t.services.doc.send(
      new UpdateCommand({
        TableName: h.t.services.tables.sessions,
        Key: { sessionId: old.sessionId },
        UpdateExpression: 'SET lastActive = :t',
        ExpressionAttributeValues: { ':t': new Date(Date.now() - 48 * 3600_000).toISOString() },
      }),
    );
    await h.t.services.redis.del(`${h.t.services.keyPrefix}sess:{${old.sessionId}}`);
    const r = await runNow(MAINTENANCE_JOBS.sessions);
    expect(r.expired).toBeGreaterThanOrEqual(1);
    expect((await h.rt.sessions.get(old.sessionId)).status).toBe('expired');
    expect((await h.rt.sessions.get(fresh.sessionId)).status).toBe('active');
  });

  it('deletes expired artifacts and keeps the rest', async () => {
    const s = await h.rt.sessions.create('u1');
    const doomed = await h.rt.artifacts.store({ sessionId: s.sessionId, workflowName: 't', content: 'x', createdBy: 't', ttlDays: 0.00001 });
    const kept = await h.rt.artifacts.store({ sessionId: s.sessionId, workflowName: 't', content: 'y', createdBy: 't' });
    await new Promise((r) => setTimeout(r, 1200));
    const r = await runNow(MAINTENANCE_JOBS.artifacts);
    expect(r.expired).toBeGreaterThanOrEqual(1);
    await expect(h.rt.artifacts.peek(doomed.artifactId)).rejects.toThrow(/not found/i);
    expect((await h.rt.artifacts.peek(kept.artifactId)).artifactId).toBe(kept.artifactId);
  });

  it('aborts multipart uploads left open past DATAOPS_MULTIPART_MAX_AGE_MS (parts deleted), keeps younger ones', async () => {
    const { s3, bucket } = h.t.services;
    const open = async (key: string) => {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
      await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: Buffer.alloc(64 * 1024, 1) }));
      return UploadId!;
    };
    const stale = await open('artifacts/s-left-open/stale');
    await new Promise((r) => setTimeout(r, 2100)); // older than the 1 s max age (the store's clock has 1 s steps)
    const young = await open('artifacts/s-left-open/young');
    expect((await partFilesOnDisk(h.t)).some((f) => f.includes(stale))).toBe(true);
    const r = await runNow(MAINTENANCE_JOBS.uploads);
    expect(r.expired).toBe(1);
    expect((await openUploads(h.t)).map((u) => u.uploadId)).toEqual([young]);
    expect((await partFilesOnDisk(h.t)).filter((f) => f.includes(stale))).toEqual([]);
    await h.rt.artifacts.abortStaleUploads(new Date(Date.now() + 60_000));
    expect(await openUploads(h.t)).toEqual([]);
    expect(await partFilesOnDisk(h.t)).toEqual([]);
  });

  it('drops questions nobody answered within the TTL, keeps recent ones', async () => {
    const stale = await h.rt.sessions.create('u1');
    const recent = await h.rt.sessions.create('u1');
    const ask = (minutesAgo: number) => ({
      pendingRequest: { workflow: 'test.report', params: {}, missing: ['title'], askedAt: new Date(Date.now() - minutesAgo * 60_000).toISOString() },
    });
    await h.rt.sessions.update(stale.sessionId, ask(120));
    await h.rt.sessions.update(recent.sessionId, ask(1));
    const r = await runNow(MAINTENANCE_JOBS.pending);
    expect(r.expired).toBe(1);
    expect((await h.rt.sessions.get(stale.sessionId)).pendingRequest).toBeNull();
    expect((await h.rt.sessions.get(recent.sessionId)).pendingRequest?.workflow).toBe('test.report');
  });
});
