import os from 'node:os';
import { holderIsGone } from '../process-alive.js';

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
 * Whether the process that owns a 'running' run may still be at work: a fresh heartbeat, and
 * on this host a pid that still exists (kill -9 leaves a 'running' row behind whose pid is
 * gone); for another host the heartbeat alone decides.
 */
export function ownerIsAlive(owner: string | null, heartbeatAt: string | null, now = Date.now()): boolean {
  if (!owner) return false;
  const beat = heartbeatAt === null ? Number.NaN : Date.parse(heartbeatAt);
  if (!(now - beat < STALE_HEARTBEAT_MS)) return false;
  const split = owner.lastIndexOf(':');
  const pid = Number(owner.slice(split + 1));
  if (!Number.isInteger(pid) || pid <= 0) return true;
  return !holderIsGone(owner.slice(0, split), pid);
}
