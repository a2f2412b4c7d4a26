import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';

/** Endpoint and region for one AWS client; `endpoint` unset means real AWS. */
export interface AwsTarget {
  region: string;
  endpoint: string | undefined;
  /** Static credentials for local endpoints (dynalite, s3rver, LocalStack). Default: the SDK's chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
  /**
   * Connection timeout of every request, in ms (DynamoDB: also the whole-request timeout; S3 keeps no
   * request timeout, since a download that a slow reader pauses is not a dead server). Default: the SDK's.
   */
  timeoutMs?: number | undefined;
}

export function createDynamo(target: AwsTarget): { raw: DynamoDBClient; doc: DynamoDBDocumentClient } {
  const raw = new DynamoDBClient({
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(target.credentials ? { credentials: target.credentials } : {}),
    ...(target.timeoutMs ? { requestHandler: { connectionTimeout: target.timeoutMs, requestTimeout: target.timeoutMs } } : {}),
    maxAttempts: 5,
  });
  const doc = DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
  return { raw, doc };
}

export function createS3(target: AwsTarget): S3Client {
  return new S3Client({
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint, forcePathStyle: true } : {}),
    ...(target.credentials ? { credentials: target.credentials } : {}),
    // s3rver and some S3-compatible stores do not speak the newer trailing checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(target.timeoutMs ? { requestHandler: { connectionTimeout: target.timeoutMs } } : {}),
    maxAttempts: 5,
  });
}

/** Credentials the embedded servers accept (they do not check signatures against a secret). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
