import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

// A real S3-compatible server in the test process: s3rver 3.7.1 on a random loopback port,
// over a temp folder. s3rver lacks two calls this project relies on — AbortMultipartUpload and
// ListMultipartUploads (it answers MethodNotAllowed / NotImplemented) — so the front server
// below adds them over s3rver's own on-disk layout (one folder per multipart upload). Nothing
// else is faked: every other request goes to s3rver unchanged.

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  /** What the CLI needs to use this server (merge into a runCli env). */
  env: Record<string, string>;
  /** Every request so far as "METHOD ?query-names", e.g. "POST ?uploads", for asserting which S3 calls were made. */
  requests: string[];
  /** Multipart uploads s3rver still holds for the bucket (its folders, not the API). */
  multipartUploadsOnDisk(bucket?: string): string[];
  stop(): Promise<void>;
}

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function startS3Server(bucket = `contacts-${process.pid}-${Date.now().toString(36)}`): Promise<S3TestServer> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-s3rver-'));
  const s3rver = new S3rver({ directory, silent: true, configureBuckets: [{ name: bucket }] });
  await s3rver.configureBuckets();
  const handle = s3rver.callback();
  const uploadsDir = (name: string) => s3rver.store.getResourcePath(name, undefined, 'uploads');

  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ?${[...url.searchParams.keys()].filter((k) => !k.startsWith('X-Amz-') && k !== 'x-id').sort().join('&')}`);
    const [, name = '', ...key] = url.pathname.split('/');
    if (req.method === 'DELETE' && key.length > 0 && url.searchParams.has('uploadId')) {
      return abortMultipartUpload(res, uploadsDir(name), url.searchParams.get('uploadId')!);
    }
    if (req.method === 'GET' && key.join('') === '' && url.searchParams.has('uploads') && fs.existsSync(path.join(directory, name))) {
      return listMultipartUploads(res, name, uploadsDir(name));
    }
    handle(req, res);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;

  return {
    endpoint,
    bucket,
    requests,
    env: {
      S3_BUCKET_NAME: bucket,
      AWS_ENDPOINT_URL_S3: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
      // Never let the credential chain look for an instance role off this machine.
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    multipartUploadsOnDisk(name = bucket) {
      return fs.existsSync(uploadsDir(name)) ? fs.readdirSync(uploadsDir(name)) : [];
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      s3rver.logger.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

function abortMultipartUpload(res: http.ServerResponse, uploadsDir: string, uploadId: string): void {
  const dir = path.join(uploadsDir, path.basename(uploadId));
  if (!/^[0-9a-f]+$/.test(uploadId) || !fs.existsSync(dir)) {
    return xml(res, 404, `<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  res.writeHead(204).end();
}

function listMultipartUploads(res: http.ServerResponse, bucket: string, uploadsDir: string): void {
  const uploads = fs.existsSync(uploadsDir) ? fs.readdirSync(uploadsDir) : [];
  const entries = uploads.map((uploadId) => {
    const keyFile = path.join(uploadsDir, uploadId, 'key');
    const key = fs.existsSync(keyFile) ? fs.readFileSync(keyFile, 'utf8') : '';
    const initiated = fs.statSync(path.join(uploadsDir, uploadId)).mtime.toISOString();
    return `<Upload><Key>${escapeXml(key)}</Key><UploadId>${uploadId}</UploadId><Initiated>${initiated}</Initiated></Upload>`;
  });
  xml(
    res,
    200,
    `<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${escapeXml(bucket)}</Bucket>` +
      `<KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>` +
      `${entries.join('')}</ListMultipartUploadsResult>`,
  );
}

function xml(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
