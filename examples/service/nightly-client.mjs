#!/usr/bin/env node
// Nightly DDL over HTTP with the typed client. The client sends an idempotency key with every request
// that starts work and sends the same key again when it retries (429/503, lost connections).
//
//   DATAOPS_URL=http://127.0.0.1:3000 DATAOPS_TOKEN=<api key> node nightly-client.mjs orders.csv orders.sql
import { createClient } from 'dataops-agent/client';
import { nightly } from './nightly.mjs';

const [csv = 'orders.csv', out = 'orders.sql'] = process.argv.slice(2);
const client = createClient({ baseUrl: process.env.DATAOPS_URL ?? 'http://127.0.0.1:3000', token: process.env.DATAOPS_TOKEN ?? '' });
const summary = await nightly(client, { csv, out });
process.stdout.write(`${JSON.stringify(summary)}\n`);
