import { readFileSync, readdirSync } from 'node:fs';

/** Reading processes from Linux's /proc for the reliability runs: families, threads, memory. */

/** A file of /proc/<pid>/, or '' when the process is gone. */
export function procFile(pid: number, name: string): string {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return '';
  }
}

/** /proc/<pid>/status as fields ("VmRSS" → "12345 kB"), or null when the process is gone. */
export function procStatus(pid: number): Record<string, string> | null {
  const text = procFile(pid, 'status');
  if (!text) return null;
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

/** Resident memory of a process in MiB (0 when it is gone). */
export function rssMb(pid: number): number {
  return Number.parseInt(procStatus(pid)?.VmRSS ?? '0', 10) / 1024;
}

/** Every process below `pid` (children, grandchildren…), from /proc/<pid>/stat's ppid field. */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procFile(Number(name), 'stat');
    if (stat) parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const [child, pp] of parent) {
      if (pp !== p) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

/** The compute processes (the worker entry on their command line) below `pid`. */
export function computePids(pid: number): number[] {
  return descendants(pid).filter((p) => /compute|worker/.test(procFile(p, 'cmdline')));
}
