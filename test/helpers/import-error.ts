import { expect } from 'vitest';
import { ImportError } from '../../src/errors.js';

/** The ImportError a promise rejects with; fails the test when it resolves or throws anything else. */
export async function rejectionOf(promise: Promise<unknown>): Promise<ImportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

/** The ImportError a call throws; fails the test when it returns or throws anything else. */
export function thrownBy(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return error as ImportError;
  }
  throw new Error('expected an ImportError');
}
