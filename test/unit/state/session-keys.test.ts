import { describe, expect, it } from 'vitest';
import { STORAGE_KEYS, sessionFileId, sessionKeys, sessionSiblings } from '../../../src/state/session-keys.js';

const ID = 'file_0b8e1c2d-0000-4000-8000-000000000000';

describe('session keys', () => {
  it('finds the fileId of every STORAGE_KEYS key, the progress key included', () => {
    for (const keyOf of Object.values(STORAGE_KEYS)) expect(sessionFileId(keyOf(ID))).toBe(ID);
  });

  it('does not take other keys for session keys', () => {
    for (const key of ['lock:import:' + ID, 'session-ttl:' + ID, 'analysis:', 'mapping:a:b', 'templates:crm', 'k']) {
      expect(sessionFileId(key)).toBeNull();
      expect(sessionSiblings(key)).toEqual([]);
    }
  });

  it("lists a key's siblings: the session's other keys", () => {
    expect(sessionKeys(ID)).toHaveLength(Object.keys(STORAGE_KEYS).length);
    expect(sessionSiblings(STORAGE_KEYS.progress(ID)).sort()).toEqual(
      [STORAGE_KEYS.analysis(ID), STORAGE_KEYS.mapping(ID), STORAGE_KEYS.upload(ID)].sort(),
    );
  });
});
