/** Calls `fn` at most once per `intervalMs`; `flush()` forces the last call. */
export function throttle<T>(intervalMs: number, fn: (value: T) => void): { (value: T): void; flush(): void } {
  let last = 0;
  let pending: { value: T } | undefined;
  const call = (value: T): void => {
    const now = Date.now();
    if (now - last >= intervalMs) {
      last = now;
      pending = undefined;
      fn(value);
    } else {
      pending = { value };
    }
  };
  call.flush = (): void => {
    if (pending) {
      const { value } = pending;
      pending = undefined;
      last = Date.now();
      fn(value);
    }
  };
  return call;
}
