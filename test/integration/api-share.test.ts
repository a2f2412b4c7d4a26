import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startApiHarness, type ApiHarness } from '../support/api-harness.js';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ env: { DATAOPS_ALLOW_CROSS_USER_SHARE: 'true' } });
});
afterAll(async () => h?.cleanup());

describe('sharing across users when the config allows it', () => {
  it("alice may share into bob's session; the copy is bob's, and neither sees the other's side", async () => {
    const mine = (await h.call('POST', '/v1/sessions', { token: KEYS.alice, json: {} })).body.sessionId as string;
    const bobs = (await h.call('POST', '/v1/sessions', { token: KEYS.bob, json: {} })).body.sessionId as string;
    const art = (await h.call('POST', `/v1/sessions/${mine}/artifacts?name=report.csv`, { token: KEYS.alice, body: 'a,b\n1,2\n', headers: { 'content-type': 'text/csv' } }))
      .body.artifactId as string;
    const shared = await h.call('POST', `/v1/artifacts/${art}/share`, { token: KEYS.alice, json: { targetSessionId: bobs } });
    expect(shared.status).toBe(201);
    const copy = shared.body.artifactId as string;
    expect((await h.call('GET', `/v1/artifacts/${copy}/content`, { token: KEYS.bob })).text).toBe('a,b\n1,2\n');
    // bob's copy does not name alice's original
    const copyMeta = await h.call('GET', `/v1/artifacts/${copy}`, { token: KEYS.bob });
    expect(copyMeta.body.derivedFrom).toBeNull();
    expect(copyMeta.text).not.toContain(art);
    expect(copyMeta.body.s3Key).toBeUndefined();
    // alice gave it away: the copy is bob's, not hers; bob still cannot see alice's original
    expect((await h.call('GET', `/v1/artifacts/${copy}`, { token: KEYS.alice })).status).toBe(404);
    expect((await h.call('GET', `/v1/artifacts/${art}`, { token: KEYS.bob })).status).toBe(404);
    // bob cannot pull alice's artifacts into his session by sharing them himself
    expect((await h.call('POST', `/v1/artifacts/${art}/share`, { token: KEYS.bob, json: { targetSessionId: bobs } })).status).toBe(404);
    // an unknown target is still a 404
    expect((await h.call('POST', `/v1/artifacts/${art}/share`, { token: KEYS.alice, json: { targetSessionId: 'sess_00000000-0000-4000-8000-000000000000' } })).status).toBe(404);
  });

  it('lineage shows only artifacts of sessions the caller owns', async () => {
    const mine = (await h.call('POST', '/v1/sessions', { token: KEYS.alice, json: {} })).body.sessionId as string;
    const bobs = (await h.call('POST', '/v1/sessions', { token: KEYS.bob, json: {} })).body.sessionId as string;
    const parent = await h.rt.artifacts.store({ sessionId: mine, workflowName: 'w', content: 'p', createdBy: 'alice' });
    const child = await h.rt.artifacts.store({ sessionId: mine, workflowName: 'w', content: 'c', createdBy: 'alice', parentArtifacts: [parent.artifactId] });
    const foreign = await h.rt.artifacts.store({ sessionId: bobs, workflowName: 'w', content: 'secret', createdBy: 'bob', parentArtifacts: [parent.artifactId] });
    const direct = await h.rt.artifacts.lineage(parent.artifactId, {});
    expect(direct.descendants.map((a) => a.artifactId).sort()).toEqual([child.artifactId, foreign.artifactId].sort());
    const viaApi = await h.call('GET', `/v1/artifacts/${parent.artifactId}/lineage`, { token: KEYS.alice });
    expect(viaApi.status).toBe(200);
    expect(viaApi.body.descendants.map((a: { artifactId: string }) => a.artifactId)).toEqual([child.artifactId]);
    expect(viaApi.body.edges).toEqual([{ parent: parent.artifactId, child: child.artifactId }]);
    expect(viaApi.text).not.toContain(foreign.artifactId);
    expect(viaApi.text).not.toContain(bobs);
    for (const path of [`/v1/artifacts/${parent.artifactId}`, `/v1/sessions/${mine}/artifacts`]) {
      const r = await h.call('GET', path, { token: KEYS.alice });
      expect(r.status).toBe(200);
      expect(r.text).toContain(child.artifactId);
      expect(r.text).not.toContain(foreign.artifactId);
    }
  });
});
