/**
 * What the benches share: CPU time read from /proc (Linux) for the main thread and for a
 * PostgreSQL server's processes (a scratch database: src/platform/db/scratch-database.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/** utime + stime (clock ticks of 10 ms) and the reaped children's, from a /proc stat line. */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU seconds of one thread of this process (/proc/self/task/<tid>/stat). */
function taskCpuSeconds(tid: string): number {
  const fields = statFields(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8'));
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds of this process's children that have ended (a command a bench ran and waited for). */
export function childrenCpuSeconds(): number {
  const fields = statFields(readFileSync('/proc/self/stat', 'utf8'));
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/**
 * CPU time of the main thread alone: the thread that runs PGlite and every database call, apart
 * from the preparation threads.
 */
export function mainThreadCpuSeconds(): number {
  try {
    return taskCpuSeconds(String(process.pid));
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of every thread of this process, by thread id (the main thread's is the pid). */
export function threadCpuSeconds(): Map<string, number> {
  const threads = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      threads.set(tid, taskCpuSeconds(tid));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

/** CPU seconds of a PostgreSQL server: the postmaster, its live children and those already reaped. */
export function postgresCpuSeconds(postmaster: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fields: string[];
    try {
      fields = statFields(readFileSync(`/proc/${entry}/stat`, 'utf8'));
    } catch {
      continue;
    }
    const own = Number(fields[11]) + Number(fields[12]);
    if (Number(entry) === postmaster) ticks += own + Number(fields[13]) + Number(fields[14]);
    else if (Number(fields[1]) === postmaster) ticks += own;
  }
  return ticks / 100;
}

/** The same for the server whose data directory is `dataDir` (its postmaster.pid). */
export function serverCpuSeconds(dataDir: string): number {
  return postgresCpuSeconds(
    Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]),
  );
}

/** The postmaster of the server at `url`: the parent of a backend, read while the backend lives. */
export async function postmasterOf(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return Number(statFields(readFileSync(`/proc/${rows[0]!.pid}/stat`, 'utf8'))[1]);
  } finally {
    await client.end();
  }
}
