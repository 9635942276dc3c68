import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, STORAGE_KEYS, upload, type Context, type UploadRecord } from '../../../src/index.js';
import { useScratchContext } from '../../helpers/scratch-context.js';

// The file kind is decided once, at upload, and kept in the upload record; later reads trust it.

const FIXTURE = path.resolve(__dirname, '../../../fixtures/contacts.csv');
let ctx: Context;

useScratchContext('ci-kind-', (scratch) => ({ ctx } = scratch));

describe('the upload record carries the file kind', () => {
  it('is written at upload', async () => {
    const { fileId } = await upload(ctx, { path: FIXTURE });
    const record = await ctx.state.get<UploadRecord>(STORAGE_KEYS.upload(fileId));
    expect(record?.kind).toBe('csv');
  });

  it('is trusted by later reads: a record saying xlsx makes analyze read the CSV as a workbook', async () => {
    const { fileId } = await upload(ctx, { path: FIXTURE });
    const key = STORAGE_KEYS.upload(fileId);
    const record = (await ctx.state.get<UploadRecord>(key))!;
    await ctx.state.set(key, { ...record, kind: 'xlsx' }, ctx.config.ttlSeconds);
    await expect(analyze(ctx, fileId)).rejects.toMatchObject({ code: 'UNREADABLE_FILE' });
  });

  it('is detected (and saved) for a record written without it by an older version', async () => {
    const { fileId } = await upload(ctx, { path: FIXTURE });
    const key = STORAGE_KEYS.upload(fileId);
    const { kind: _kind, ...older } = (await ctx.state.get<UploadRecord>(key))!;
    await ctx.state.set(key, older, ctx.config.ttlSeconds);
    expect(await analyze(ctx, fileId)).toMatchObject({ totalRows: 12 });
    expect((await ctx.state.get<UploadRecord>(key))?.kind).toBe('csv');
  });
});
