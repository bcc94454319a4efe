import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

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

/** Reads `length` bytes of a log at `offset` (fewer at its end). */
export type WalReader = (offset: number, length: number) => Buffer;

/**
 * Scans the log `wal` (its bytes); `dbPageSize` is the database's page size (used to count
 * frames when the header itself is broken; null when unknown).
 */
export function scanWal(wal: Buffer, dbPageSize: number | null): WalScan {
  return scanWalWith(wal.length, (offset, length) => wal.subarray(offset, offset + length), dbPageSize);
}

/**
 * Scans a log of `size` bytes through `read`: pages are read only along the valid prefix (whose
 * checksums need them); past it only the 24-byte frame headers, so a large log left by a big
 * import costs little more than its live part.
 */
export function scanWalWith(size: number, read: WalReader, dbPageSize: number | null): WalScan {
  const scan: WalScan = {
    bytes: size,
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
  if (size < WAL_HEADER) {
    // An empty log is what a clean open leaves; a few stray bytes hold no frame either.
    return scan;
  }
  const header = read(0, WAL_HEADER);
  // A log that shrank under the read (another program resetting it) has nothing more to say.
  if (header.length < WAL_HEADER) return scan;
  const magic = u32be(header, 0);
  const bigEndian = magic === MAGIC_BE;
  const headerPageSize = u32be(header, 8);
  const plausiblePageSize = (n: number) => n >= 512 && n <= 65536 && (n & (n - 1)) === 0;
  const salts: [number, number] = [u32be(header, 16), u32be(header, 20)];
  const headerSum = walChecksum(header.subarray(0, 24), bigEndian);
  scan.headerValid =
    (magic === MAGIC_LE || magic === MAGIC_BE) && u32be(header, 4) === WAL_VERSION && plausiblePageSize(headerPageSize) && headerSum[0] === u32be(header, 24) && headerSum[1] === u32be(header, 28);
  const pageSize = scan.headerValid ? headerPageSize : dbPageSize ?? (plausiblePageSize(headerPageSize) ? headerPageSize : null);
  scan.pageSize = scan.headerValid ? headerPageSize : null;
  if (pageSize === null) {
    scan.damage = describeWalDamage(scan);
    return scan;
  }
  const frameSize = FRAME_HEADER + pageSize;
  scan.framesInFile = Math.floor((size - WAL_HEADER) / frameSize);
  scan.partialTailBytes = (size - WAL_HEADER) % frameSize;
  const frameHeader = (i: number) => read(WAL_HEADER + i * frameSize, FRAME_HEADER);
  if (!scan.headerValid) {
    // SQLite ignores the whole log: every frame in it is dropped (all but zeros and stray bytes).
    for (let i = 0; i < scan.framesInFile; i++) {
      const h = frameHeader(i);
      if (h.length < FRAME_HEADER) break;
      if (u32be(h, 0) === 0) continue;
      scan.droppedFrames++;
      if (u32be(h, 4) !== 0) scan.droppedCommits++;
    }
    scan.damage = describeWalDamage(scan);
    return scan;
  }

  // The valid prefix, as SQLite's recovery reads it.
  let sum = headerSum;
  for (let i = 0; i < scan.framesInFile; i++) {
    const frame = read(WAL_HEADER + i * frameSize, frameSize);
    if (frame.length < frameSize || u32be(frame, 0) === 0 || u32be(frame, 8) !== salts[0] || u32be(frame, 12) !== salts[1]) break;
    const next = walChecksum(frame.subarray(FRAME_HEADER), bigEndian, walChecksum(frame.subarray(0, 8), bigEndian, sum));
    if (next[0] !== u32be(frame, 16) || next[1] !== u32be(frame, 20)) break;
    sum = next;
    if (u32be(frame, 4) !== 0) {
      scan.usedFrames = i + 1;
      scan.usedTransactions++;
    }
  }
  // What follows the used part: this generation's frames (dropped), an older generation's
  // (left by an earlier pass over the file: salt-1 counts up at each restart of the log), or garbage.
  for (let i = scan.usedFrames; i < scan.framesInFile; i++) {
    const h = frameHeader(i);
    if (h.length < FRAME_HEADER) break;
    const [s1, s2] = [u32be(h, 8), u32be(h, 12)];
    if (s1 === salts[0] && s2 === salts[1]) {
      scan.droppedFrames++;
      if (u32be(h, 4) !== 0) scan.droppedCommits++;
    } else if (u32be(h, 0) === 0 || s1 === salts[0] || ((salts[0] - s1) >>> 0) > 1 << 20) {
      // A zero page number, or salts no earlier pass could have written.
      scan.garbageFrames++;
    }
  }
  scan.damage = describeWalDamage(scan);
  return scan;
}

/**
 * A sentence for damage that loses saved work, or null. A log that stops in the middle of an
 * unfinished transaction (checksum-valid frames with no commit frame after them, perhaps a last
 * frame header without its page) is what a process killed while writing leaves: nothing
 * acknowledged is lost, so it is not damage. A log cut at a frame boundary inside a committed
 * transaction looks the same, and is not told either.
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
  // SQLite writes a frame as its 24-byte header, then its page: a writer killed between the two
  // leaves a log ending 24 bytes into a frame. No write ends anywhere else inside a frame.
  if (s.partialTailBytes > 0 && s.partialTailBytes !== FRAME_HEADER) parts.push(`the log was cut short (it ends ${s.partialTailBytes} bytes into a frame), so the transaction it cut and any written after it are lost`);
  if (!parts.length) return null;
  const kept = `SQLite keeps the first ${s.usedTransactions} transaction${s.usedTransactions === 1 ? '' : 's'} of the log`;
  return `${parts.join('; ')}; ${kept}`;
}

/**
 * Scans the log beside the database at `dbPath`, or returns null when there is none (or it is
 * empty). A log another program is writing to at that moment (the app beside the command line)
 * can look damaged halfway through a write: damage counts only when a second scan finds the
 * same and the file did not change in between.
 */
export function scanWalFile(dbPath: string): WalScan | null {
  const walPath = `${dbPath}-wal`;
  const stamp = () => {
    const s = statSync(walPath, { throwIfNoEntry: false });
    return s ? `${s.size}:${s.mtimeMs}:${s.ino}` : null;
  };
  const once = (): WalScan | null => {
    let fd: number;
    try {
      fd = openSync(walPath, 'r');
    } catch {
      return null;
    }
    try {
      const size = fstatSync(fd).size;
      if (size === 0) return null;
      return scanWalWith(
        size,
        (offset, length) => {
          const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
          let done = 0;
          while (done < buffer.length) {
            const n = readSync(fd, buffer, done, buffer.length - done, offset + done);
            if (n === 0) break;
            done += n;
          }
          return buffer.subarray(0, done);
        },
        databasePageSize(dbPath),
      );
    } finally {
      closeSync(fd);
    }
  };
  const before = stamp();
  const first = once();
  if (!first?.damage) return first;
  const second = once();
  const unchanged = stamp() === before && JSON.stringify(second) === JSON.stringify(first);
  return unchanged ? first : { ...first, damage: null };
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
