// Who holds a claim, and whether that process is certainly gone. A holder id names the process
// that made it — host, kernel boot, PID namespace, PID and the process's start time — so that a
// process restarted after kill -9 on the same host can tell that its predecessor is dead and take
// its claims over at once, instead of waiting for their leases to run out.
//
// "Gone" is only ever concluded when it is certain: same boot and PID namespace (so the PID means
// the same process table) and no process with that PID and start time. Another replica — another
// host, another container (its own PID namespace), or a live process on this host — is never
// taken for dead; its claims are taken over only when their leases expire.
import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Logger } from './ports.js';
import type { Claims } from './ports.js';

export interface ProcessIdentity {
  host: string;
  /** Kernel boot id (Linux), shared by every container of one running kernel. */
  boot?: string;
  /** PID namespace (Linux), different in every container. */
  pidNamespace?: string;
  pid: number;
  /** Start time of the process in clock ticks since boot (Linux): tells a reused PID apart. */
  startTicks?: string;
}

/** Reads what the running system knows about a process; injectable for tests. */
export interface ProcessTable {
  current(): ProcessIdentity;
  /** Start ticks of the process with this PID in this namespace, or undefined if there is none. */
  startTicksOf(pid: number): string | undefined;
}

const PREFIX = 'lineage-bot';
const SEPARATOR = '/';

/** A new holder id for this process: its identity and a random part, e.g. "lineage-bot/web-1/3f2a…/4026531836/4242/98765/1a2b3c4d". */
export function newHolderId(identity: ProcessIdentity): string {
  const field = (value: string | number | undefined) => (value === undefined ? '-' : String(value).replaceAll(SEPARATOR, '_'));
  return [PREFIX, field(identity.host), field(identity.boot), field(identity.pidNamespace), field(identity.pid), field(identity.startTicks), randomUUID().slice(0, 8)].join(SEPARATOR);
}

export function parseHolderId(id: string): ProcessIdentity | undefined {
  const parts = id.split(SEPARATOR);
  if (parts.length !== 7 || parts[0] !== PREFIX) return undefined;
  const [, host, boot, pidNamespace, pid, startTicks] = parts as [string, string, string, string, string, string, string];
  const value = (text: string) => (text === '-' ? undefined : text);
  if (!/^\d+$/.test(pid)) return undefined;
  return { host, pid: Number(pid), ...(value(boot) ? { boot } : {}), ...(value(pidNamespace) ? { pidNamespace } : {}), ...(value(startTicks) ? { startTicks } : {}) };
}

/**
 * 'gone' when `holder` is certainly not running: a process of this kernel boot and PID namespace
 * whose PID is free or now belongs to a process started at another time (or is this process,
 * which is not the holder). 'alive' when it is running here; 'unknown' when it cannot be told
 * from here (another host or container, or a system without /proc).
 */
export function holderState(holderId: string, table: ProcessTable, ownId: string): 'gone' | 'alive' | 'unknown' {
  if (holderId === ownId) return 'alive';
  const holder = parseHolderId(holderId);
  const here = table.current();
  if (!holder || !holder.boot || !holder.pidNamespace || !holder.startTicks) return 'unknown';
  if (holder.boot !== here.boot || holder.pidNamespace !== here.pidNamespace) return 'unknown';
  // Same PID as this process but another holder id: a previous process of a restarted container or service.
  if (holder.pid === here.pid) return holder.startTicks === here.startTicks ? 'alive' : 'gone';
  const ticks = table.startTicksOf(holder.pid);
  return ticks === undefined || ticks !== holder.startTicks ? 'gone' : 'alive';
}

/** The process table of Linux through /proc; elsewhere identities carry no boot or namespace, and nothing is ever "gone". */
export const systemProcessTable: ProcessTable = {
  current: () => ({
    host: hostname(),
    pid: process.pid,
    ...optional('boot', () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().replaceAll('-', '').slice(0, 16)),
    ...optional('pidNamespace', () => /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1]),
    ...optional('startTicks', () => startTicks('self')),
  }),
  startTicksOf: (pid) => {
    try {
      return startTicks(String(pid));
    } catch {
      return undefined; // no such process
    }
  },
};

/** Field 22 of /proc/<pid>/stat (after the command name, which may hold spaces and parentheses). */
function startTicks(pid: string): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = fields[19];
  if (!ticks || !/^\d+$/.test(ticks)) throw new Error(`unreadable /proc/${pid}/stat`);
  return ticks;
}

function optional<K extends string>(key: K, read: () => string | undefined): Partial<Record<K, string>> {
  try {
    const value = read();
    return value ? ({ [key]: value } as Record<K, string>) : {};
  } catch {
    return {};
  }
}

/**
 * At start-up: frees at once the claims and leases of holders that are certainly gone (a previous
 * process on this host, killed without a chance to let go), so their work resumes now rather than
 * when their leases expire. Returns how many claims were freed.
 */
export async function takeOverFromGoneHolders(
  store: Pick<Claims, 'listClaimHolders' | 'releaseHolder'>,
  options: { ownId: string; table: ProcessTable; logger: Logger; now: number },
): Promise<number> {
  let freed = 0;
  for (const holder of await store.listClaimHolders(options.now)) {
    if (holderState(holder, options.table, options.ownId) !== 'gone') continue;
    const released = await store.releaseHolder(holder, options.now);
    freed += released;
    options.logger.info(`Took over ${released} claims of ${holder}: a previous process on this host that is no longer running`);
  }
  return freed;
}
