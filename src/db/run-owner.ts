import os from 'node:os';

/**
 * A 'running' run whose heartbeat (one per committed batch) is this old is dead whoever owns
 * it: on another host nothing else can tell, and on this one the pid may have been reused.
 */
export const STALE_HEARTBEAT_MS = 10 * 60 * 1000;

/** `host:pid` of this process, recorded as the owner of the runs it starts or resumes. */
export function currentOwner(): string {
  return `${os.hostname()}:${process.pid}`;
}

/**
 * Whether the process that owns a 'running' run may still be at work. On this host the pid
 * answers exactly (kill -9 leaves a 'running' row behind whose pid is gone); for another
 * host only a fresh heartbeat does.
 */
export function ownerIsAlive(owner: string | null, heartbeatAt: string | null, now = Date.now()): boolean {
  if (!owner) return false;
  const beat = heartbeatAt === null ? Number.NaN : Date.parse(heartbeatAt);
  if (!(now - beat < STALE_HEARTBEAT_MS)) return false;
  const split = owner.lastIndexOf(':');
  const host = owner.slice(0, split);
  const pid = Number(owner.slice(split + 1));
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
