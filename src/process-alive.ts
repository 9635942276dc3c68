import os from 'node:os';

/**
 * Whether the process `pid` on `host` is known to be gone. Only a pid of this host can be
 * checked; for another host (a state folder or Redis shared between machines) the answer is
 * always false, and only the holder's expiry frees what it held.
 */
export function holderIsGone(host: string, pid: number): boolean {
  return host === os.hostname() && !processIsRunning(pid);
}

/** Whether a process with this pid exists on this host (this process always does). */
export function processIsRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
