import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';

/**
 * Reading a SQLite write-ahead log (`<db>-wal`) the way SQLite recovers it, to tell before the
 * database is opened whether SQLite is about to drop committed transactions from it. SQLite
 * trusts a log only up to the first frame whose salt or running checksum does not match, and
 * uses only whole transactions (up to the last commit frame) within that prefix; everything
 * after is ignored, and overwritten by the next write. After a crash that is right (an unfinished
 * transaction was never acknowledged), but after damage (a log cut short, garbage frames, a
 * broken header) it silently loses work that was saved: this scan finds those cases.
 *
 * Format (https://sqlite.org/fileformat2.html#walformat): a 32-byte header (magic, version, page
 * size, checkpoint sequence, salt-1, salt-2, checksum-1, checksum-2, all big-endian), then frames
 * of a 24-byte header (page number, database size in pages for a commit frame else 0, salt-1,
 * salt-2, checksum-1, checksum-2) and one page. The checksum runs over the header's first 24
 * bytes, then over each frame's first 8 header bytes and its page, cumulatively, in 32-bit words
 * of the byte order the magic names.
 */

const WAL_HEADER = 32;
const FRAME_HEADER = 24;
const MAGIC_LE = 0x377f0682;
const MAGIC_BE = 0x377f0683;
const WAL_VERSION = 3007000;

/** What a scan of one write-ahead log found. */
export interface WalScan {
  bytes: number;
  /** The page size the header gives (null when the header is unreadable). */
  pageSize: number | null;
  /** Magic, version, page size and the header checksum all as SQLite writes them. */
  headerValid: boolean;
  /** Whole frames the file could hold at the page size (the header's, or the database's when the header is broken). */
  framesInFile: number;
  /** Frames SQLite will use: the valid prefix up to its last commit frame. */
  usedFrames: number;
  /** Transactions (commit frames) SQLite will use. */
  usedTransactions: number;
  /** Frames after the used part that belong to the log's current generation (its salts), and how many of them are commit frames. */
  droppedFrames: number;
  droppedCommits: number;
  /** Frames after the used part that are neither the current generation nor an older one (random bytes, zeros over a header). */
  garbageFrames: number;
  /** Bytes at the end that do not make a whole frame (a log cut in the middle of one). */
  partialTailBytes: number;
  /** Damage that drops saved work: see `describeWalDamage`. Null for a log SQLite will read whole (or that holds only an unfinished write). */
  damage: string | null;
}

function u32be(b: Buffer, at: number): number {
  return b.readUInt32BE(at);
}

/** SQLite's WAL checksum over `data` (a multiple of 8 bytes), continuing from `s`. */
export function walChecksum(data: Buffer, bigEndian: boolean, s: [number, number] = [0, 0]): [number, number] {
  let [s1, s2] = s;
  for (let i = 0; i + 8 <= data.length; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    s1 = (s1 + x0 + s2) >>> 0;
    s2 = (s2 + x1 + s1) >>> 0;
  }
  return [s1, s2];
}

/**
 * Scans the log `wal` (its bytes); `dbPageSize` is the database's page size (used to count
 * frames when the header itself is broken; null when unknown).
 */
export function scanWal(wal: Buffer, dbPageSize: number | null): WalScan {
  const scan: WalScan = {
    bytes: wal.length,
    pageSize: null,
    headerValid: false,
    framesInFile: 0,
    usedFrames: 0,
    usedTransactions: 0,
    droppedFrames: 0,
    droppedCommits: 0,
    garbageFrames: 0,
    partialTailBytes: 0,
    damage: null,
  };
  if (wal.length < WAL_HEADER) {
    // An empty log is what a clean open leaves; a few stray bytes hold no frame either.
    return scan;
  }
  const magic = u32be(wal, 0);
  const bigEndian = magic === MAGIC_BE;
  const headerPageSize = u32be(wal, 8);
  const plausiblePageSize = (n: number) => n >= 512 && n <= 65536 && (n & (n - 1)) === 0;
  const salts: [number, number] = [u32be(wal, 16), u32be(wal, 20)];
  const headerSum = walChecksum(wal.subarray(0, 24), bigEndian);
  scan.headerValid =
    (magic === MAGIC_LE || magic === MAGIC_BE) && u32be(wal, 4) === WAL_VERSION && plausiblePageSize(headerPageSize) && headerSum[0] === u32be(wal, 24) && headerSum[1] === u32be(wal, 28);
  const pageSize = scan.headerValid ? headerPageSize : dbPageSize ?? (plausiblePageSize(headerPageSize) ? headerPageSize : null);
  scan.pageSize = scan.headerValid ? headerPageSize : null;
  if (pageSize === null) {
    scan.damage = describeWalDamage(scan);
    return scan;
  }
  const frameSize = FRAME_HEADER + pageSize;
  scan.framesInFile = Math.floor((wal.length - WAL_HEADER) / frameSize);
  scan.partialTailBytes = (wal.length - WAL_HEADER) % frameSize;
  if (!scan.headerValid) {
    // SQLite ignores the whole log: every frame in it is dropped (all but zeros and stray bytes).
    for (let i = 0; i < scan.framesInFile; i++) {
      const at = WAL_HEADER + i * frameSize;
      if (u32be(wal, at) === 0) continue;
      scan.droppedFrames++;
      if (u32be(wal, at + 4) !== 0) scan.droppedCommits++;
    }
    scan.damage = describeWalDamage(scan);
    return scan;
  }

  // The valid prefix, as SQLite's recovery reads it.
  let sum = headerSum;
  let valid = 0;
  for (let i = 0; i < scan.framesInFile; i++) {
    const at = WAL_HEADER + i * frameSize;
    if (u32be(wal, at) === 0 || u32be(wal, at + 8) !== salts[0] || u32be(wal, at + 12) !== salts[1]) break;
    const next = walChecksum(wal.subarray(at + FRAME_HEADER, at + frameSize), bigEndian, walChecksum(wal.subarray(at, at + 8), bigEndian, sum));
    if (next[0] !== u32be(wal, at + 16) || next[1] !== u32be(wal, at + 20)) break;
    sum = next;
    valid = i + 1;
    if (u32be(wal, at + 4) !== 0) {
      scan.usedFrames = valid;
      scan.usedTransactions++;
    }
  }
  // What follows the used part: this generation's frames (dropped), an older generation's
  // (left by an earlier pass over the file: salt-1 counts up at each restart of the log), or garbage.
  for (let i = scan.usedFrames; i < scan.framesInFile; i++) {
    const at = WAL_HEADER + i * frameSize;
    const [s1, s2] = [u32be(wal, at + 8), u32be(wal, at + 12)];
    if (s1 === salts[0] && s2 === salts[1]) {
      scan.droppedFrames++;
      if (u32be(wal, at + 4) !== 0) scan.droppedCommits++;
    } else if (u32be(wal, at) === 0 || s1 === salts[0] || ((salts[0] - s1) >>> 0) > 1 << 20) {
      // A zero page number, or salts no earlier pass could have written.
      scan.garbageFrames++;
    }
  }
  scan.damage = describeWalDamage(scan);
  return scan;
}

/**
 * A sentence for damage that loses saved work, or null. A log that stops in the middle of an
 * unfinished transaction (checksum-valid frames with no commit frame after them) is what a
 * process killed while writing leaves: nothing acknowledged is lost, so it is not damage.
 */
export function describeWalDamage(s: WalScan): string | null {
  const frames = (n: number) => `${n} frame${n === 1 ? '' : 's'}`;
  if (!s.headerValid) {
    if (s.bytes <= WAL_HEADER) return null;
    const what = s.droppedFrames ? `${frames(s.droppedFrames)}${s.droppedCommits ? ` (${s.droppedCommits} saved transaction${s.droppedCommits === 1 ? '' : 's'})` : ''}` : `${s.bytes} bytes`;
    return `its header is damaged, so SQLite ignores the whole log: ${what} written since the last checkpoint are dropped`;
  }
  const parts: string[] = [];
  if (s.droppedCommits > 0) parts.push(`at least ${s.droppedCommits} saved transaction${s.droppedCommits === 1 ? '' : 's'} (${frames(s.droppedFrames)}) after a damaged frame cannot be read and are dropped`);
  else if (s.garbageFrames > 0) parts.push(`${frames(s.garbageFrames)} of random or zeroed bytes follow the last whole transaction, where saved work may have been`);
  if (s.partialTailBytes > 0) parts.push(`the log was cut short (it ends ${s.partialTailBytes} bytes into a frame), so the transaction it cut and any written after it are lost`);
  if (!parts.length) return null;
  const kept = `SQLite keeps the first ${s.usedTransactions} transaction${s.usedTransactions === 1 ? '' : 's'} of the log`;
  return `${parts.join('; ')}; ${kept}`;
}

/** Scans the log beside the database at `dbPath`, or returns null when there is none (or it is empty). */
export function scanWalFile(dbPath: string): WalScan | null {
  const walPath = `${dbPath}-wal`;
  const size = statSync(walPath, { throwIfNoEntry: false })?.size ?? 0;
  if (size === 0) return null;
  return scanWal(readFileSync(walPath), databasePageSize(dbPath));
}

/** The page size in a database file's header, or null when the header is not SQLite's (or the file cannot be read). */
export function databasePageSize(dbPath: string): number | null {
  const header = Buffer.alloc(18);
  let fd: number | null = null;
  try {
    fd = openSync(dbPath, 'r');
    if (readSync(fd, header, 0, 18, 0) < 18 || header.toString('latin1', 0, 15) !== 'SQLite format 3') return null;
    const raw = header.readUInt16BE(16);
    return raw === 1 ? 65536 : raw;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
