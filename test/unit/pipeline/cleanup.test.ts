import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupOlderThan, cleanupUpload, presign, upload, type Context } from '../../../src/index.js';
import { useScratchContext } from '../../helpers/scratch-context.js';

// cleanup with local storage (the S3 side runs in test/cli/s3.test.ts against s3rver).

const FIXTURE = path.resolve(__dirname, '../../../fixtures/contacts.csv');
let dir: string;
let ctx: Context;
const uploadsDir = () => path.join(dir, 'home', 'uploads');

useScratchContext('ci-cleanup-', (scratch) => ({ dir, ctx } = scratch));

describe('cleanup (local storage)', () => {
  it('--file-id removes the stored file and the session', async () => {
    const { fileId, key } = await upload(ctx, { path: FIXTURE });
    const dry = await cleanupUpload(ctx, fileId, { dryRun: true });
    expect(dry).toMatchObject({ deleted: [{ key }], sessions: [fileId], dryRun: true });
    expect(fs.readdirSync(uploadsDir())).toHaveLength(1);

    const result = await cleanupUpload(ctx, fileId);
    expect(result).toMatchObject({ deleted: [{ key, size: fs.statSync(FIXTURE).size }], sessions: [fileId], dryRun: false });
    expect(fs.readdirSync(uploadsDir())).toEqual([]);
    await expect(cleanupUpload(ctx, fileId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('--older-than removes only uploads older than the age', async () => {
    const old = await upload(ctx, { path: FIXTURE });
    const fresh = await upload(ctx, { path: FIXTURE });
    const aWeekAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    fs.utimesSync(path.join(dir, 'home', old.key), aWeekAgo, aWeekAgo);

    const result = await cleanupOlderThan(ctx, 7 * 24 * 3600 * 1000);
    expect(result.deleted.map((f) => f.key)).toEqual([old.key]);
    expect(fs.readdirSync(uploadsDir())).toEqual([path.basename(fresh.key)]);
    await expect(cleanupOlderThan(ctx, -1)).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('presign needs S3 storage', async () => {
    await expect(presign(ctx, { fileName: 'a.csv', contentType: 'text/csv', size: 10 })).rejects.toMatchObject({
      code: 'NOT_CONFIGURED',
      message: 'presigned uploads need S3 storage',
    });
  });
});
