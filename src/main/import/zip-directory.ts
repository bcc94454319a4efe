import { createReadStream, promises as fs } from 'node:fs';
import type { Readable } from 'node:stream';
import { createInflateRaw, inflateRawSync } from 'node:zlib';

/**
 * Parts of a ZIP archive read through its central directory: small parts whole, one part as a
 * stream from its place in the file. The workbook reader uses this instead of exceljs 4.4.0's
 * single pass over the archive in stored order, which intermittently loses a part (exceljs
 * issue 3064, open) and parks every sheet met before the shared strings in a temporary file.
 */

/** A part larger than this once inflated is refused unless the caller allows more: a workbook part is a few kilobytes. */
const MAX_PART_BYTES = 16 * 1024 * 1024;

/** The named parts found in the archive at `path`, inflated; a name absent from the archive is absent from the map. */
export async function readZipParts(path: string, names: readonly string[], maxPartBytes = MAX_PART_BYTES): Promise<Map<string, Buffer>> {
  const handle = await fs.open(path, 'r');
  try {
    const parts = new Map<string, Buffer>();
    for (const name of names) {
      const where = await locatePart(handle, name);
      if (!where) continue;
      if (where.size > maxPartBytes) throw new Error(`the ZIP entry ${name} is larger than ${maxPartBytes} bytes`);
      const data = Buffer.alloc(where.size);
      await handle.read(data, 0, where.size, where.start);
      if (where.method === 0) parts.set(name, data);
      else if (where.method === 8) parts.set(name, inflateRawSync(data, { maxOutputLength: maxPartBytes }));
      else throw new Error(`the ZIP entry ${name} uses compression method ${where.method}, which the app does not read`);
    }
    return parts;
  } finally {
    await handle.close();
  }
}

/**
 * One part of the archive as a stream of its inflated bytes, read from its place in the file:
 * a worksheet streamed without the rest of the archive, with flat memory. `onBytes` hears the
 * file offset reached, for progress. Null when the archive has no such part.
 */
export async function openZipPart(path: string, name: string, onBytes?: (offset: number) => void): Promise<Readable | null> {
  const handle = await fs.open(path, 'r');
  let where: { method: number; start: number; size: number } | null;
  try {
    where = await locatePart(handle, name);
  } finally {
    await handle.close();
  }
  if (!where) return null;
  if (where.method !== 0 && where.method !== 8) throw new Error(`the ZIP entry ${name} uses compression method ${where.method}, which the app does not read`);
  const raw = createReadStream(path, { start: where.start, end: where.start + where.size - 1, highWaterMark: 64 * 1024 });
  if (onBytes) raw.on('data', () => onBytes(where!.start + raw.bytesRead));
  if (where.method === 0) return raw;
  const inflate = createInflateRaw();
  raw.on('error', (error) => inflate.destroy(error));
  inflate.on('close', () => raw.destroy());
  return raw.pipe(inflate);
}

async function locatePart(handle: fs.FileHandle, name: string): Promise<{ method: number; start: number; size: number } | null> {
  const { size } = await handle.stat();
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = Buffer.alloc(tailLength);
  await handle.read(tail, 0, tailLength, size - tailLength);
  let end = -1;
  for (let i = tailLength - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('the ZIP archive has no central directory (is the file cut short?)');
  const entries = tail.readUInt16LE(end + 10);
  const directorySize = tail.readUInt32LE(end + 12);
  const directoryOffset = tail.readUInt32LE(end + 16);
  if (directoryOffset + directorySize > size) throw new Error('the ZIP central directory lies beyond the end of the file');
  const directory = Buffer.alloc(directorySize);
  await handle.read(directory, 0, directorySize, directoryOffset);
  let at = 0;
  for (let n = 0; n < entries && at + 46 <= directory.length; n++) {
    if (directory.readUInt32LE(at) !== 0x02014b50) throw new Error('the ZIP central directory is damaged');
    const method = directory.readUInt16LE(at + 10);
    const compressedSize = directory.readUInt32LE(at + 20);
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const localOffset = directory.readUInt32LE(at + 42);
    const entryName = directory.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (entryName !== name) continue;
    const local = Buffer.alloc(30);
    await handle.read(local, 0, 30, localOffset);
    if (local.readUInt32LE(0) !== 0x04034b50) throw new Error(`the ZIP entry ${name} is damaged`);
    const start = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (start + compressedSize > size) throw new Error(`the ZIP entry ${name} lies beyond the end of the file`);
    return { method, start, size: compressedSize };
  }
  return null;
}
