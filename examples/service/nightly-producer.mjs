#!/usr/bin/env node
// Nightly DDL from inside the network: straight onto the queues through the API's own request path
// (validation, ownership, planning, idempotency), no HTTP. It reads the instance's configuration
// from the environment (REDIS_URL, DATAOPS_QUEUE_PREFIX, DYNAMODB_ENDPOINT, S3_ENDPOINT, table and
// bucket names: the same values the server runs with) and acts for DATAOPS_USER.
//
//   DATAOPS_USER=platform node nightly-producer.mjs orders.csv orders.sql
import { createProducer } from 'dataops-agent/producer';
import { nightly } from './nightly.mjs';

const [csv = 'orders.csv', out = 'orders.sql'] = process.argv.slice(2);
const producer = await createProducer();
try {
  const summary = await nightly(producer.forUser(process.env.DATAOPS_USER ?? 'platform'), { csv, out });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
} finally {
  await producer.close();
}
