import { describe, expect, it } from 'vitest';
import { resumeKey, type ResumeKeyParts } from '../../../src/pipeline/resume-key.js';

const base: ResumeKeyParts = {
  mapping: { 'E-mail': 'email', Name: 'firstName' },
  onDuplicate: 'skip',
  excluded: [5, 12],
  defaultCountry: 'US',
};

describe('resumeKey', () => {
  it('ignores the order of the mapping and of the excluded rows', () => {
    expect(resumeKey({ ...base, mapping: { Name: 'firstName', 'E-mail': 'email' }, excluded: new Set([12, 5, 5]) })).toBe(resumeKey(base));
  });

  it('is the same with onInvalidValue reject (the default) as without it, so older runs resume', () => {
    expect(resumeKey({ ...base, onInvalidValue: 'reject' })).toBe(resumeKey(base));
  });

  it('is the same with maxRecordSize at its default (1 MiB) as without it', () => {
    expect(resumeKey({ ...base, maxRecordSize: 1024 * 1024 })).toBe(resumeKey(base));
  });

  it.each<[string, Partial<ResumeKeyParts>]>([
    ['another mapping', { mapping: { 'E-mail': 'email', Name: 'lastName' } }],
    ['a column more', { mapping: { ...base.mapping, Phone: 'phone' } }],
    ['--on-duplicate update', { onDuplicate: 'update' }],
    ['other excluded rows', { excluded: [5] }],
    ['another default country', { defaultCountry: 'GB' }],
    ['onInvalidValue blank', { onInvalidValue: 'blank' }],
    ['another maxRecordSize', { maxRecordSize: 8 * 1024 * 1024 }],
  ])('changes with %s', (_what, change) => {
    expect(resumeKey({ ...base, ...change })).not.toBe(resumeKey(base));
  });
});
