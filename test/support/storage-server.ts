/**
 * dynalite (in memory, as the tests' in-process one) and s3rver (under DATAOPS_DATA_DIR) on the
 * loopback ports of DYNAMODB_ENDPOINT and S3_ENDPOINT, in a process of their own: the storage of
 * `startTestServices(…, { storage: 'process' })`. Prints "storage running" once both listen; closes
 * both (requests in flight first) on SIGTERM, or once its parent process is gone. The tables and the
 * bucket are made by the services that connect (DATAOPS_BOOTSTRAP).
 */
import { startEmbeddedDynamo, startEmbeddedS3 } from '../../src/infra/embedded.js';

const port = (name: string) => Number(new URL(process.env[name] ?? '').port);
const dataDir = process.env.DATAOPS_DATA_DIR;
if (!dataDir || !port('DYNAMODB_ENDPOINT') || !port('S3_ENDPOINT')) {
  process.stderr.write('storage-server needs DATAOPS_DATA_DIR, DYNAMODB_ENDPOINT and S3_ENDPOINT (http://127.0.0.1:<port>)\n');
  process.exit(2);
}
const dynamo = await startEmbeddedDynamo({ port: port('DYNAMODB_ENDPOINT') });
const s3 = await startEmbeddedS3({ dataDir, port: port('S3_ENDPOINT') });
process.stdout.write('storage running\n');
const stop = () => void Promise.all([dynamo.close(), s3.close()]).then(() => process.exit(0));
process.once('SIGTERM', stop);
// a parent that died without stopping it (a bench killed mid-run) leaves no server behind
const parent = process.ppid;
setInterval(() => process.ppid !== parent && stop(), 1000).unref();
