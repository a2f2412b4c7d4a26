/**
 * One process of the kill -9 probe (crash-probe.ts), configured by its environment (the bench's,
 * so it shares the bench's Redis prefix, storage and PostgreSQL): `PEER_SYSTEM` (raw | engine |
 * langgraph | mastra), `PEER_DIR` (Mastra's LibSQL file) and `PEER_PHASE`:
 *
 * - `start`: sets the system up, starts one run, prints `RUN <id>`; step `a` prints `A_STARTED` and
 *   never returns, so the probe kills this process in the middle of the run.
 * - `resume`: sets the system up as a restarted service would (workers, stores; nothing re-invoked),
 *   then watches run `PEER_RUN` for up to `PEER_WAIT_MS` and prints `RESULT <json>`: whether it
 *   finished by itself, and how it stands.
 */
import { loadConfig } from '../../src/config.js';
import { createServices } from '../../src/infra/services.js';
import { SYSTEM_KEYS, buildSystem, hooks, type SystemKey } from './systems.js';

const key = process.env.PEER_SYSTEM as SystemKey;
if (!SYSTEM_KEYS.includes(key)) throw new Error(`PEER_SYSTEM must be one of ${SYSTEM_KEYS.join(', ')}, not ${String(key)}`);
const config = loadConfig(process.env);
const services = await createServices(config);
const system = await buildSystem(key, { config, services }, process.env.PEER_DIR ?? '.');

if (process.env.PEER_PHASE === 'start') {
  hooks.a = () => {
    console.log('A_STARTED');
    return new Promise<void>(() => undefined);
  };
  console.log(`RUN ${await system.begin()}`);
} else {
  const id = process.env.PEER_RUN ?? '';
  const started = Date.now();
  const deadline = started + Number(process.env.PEER_WAIT_MS ?? 15_000);
  let state = await system.state(id);
  while (!state.finished && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    state = await system.state(id);
  }
  console.log(`RESULT ${JSON.stringify({ ...state, watchedMs: Date.now() - started, at: Date.now() })}`);
  await system.close();
  await services.close();
  process.exit(0);
}
