import { promises as fs } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/**
 * Reads a few small named parts of a ZIP archive through its central directory, without
 * streaming the rest. The workbook reader needs the workbook part (sheet names and order)
 * before any sheet: exceljs 4.4.0's streaming reader reads entries in stored order, and since
 * writers (exceljs among them) store the workbook part last, it intermittently meets a sheet
 * before it knows the workbook and fails (exceljs issue 3064, open). Supplying the part up front
 * removes the race.
 */

/** A part larger than this once inflated is refused unless the caller allows more: a workbook part is a few kilobytes. */
const MAX_PART_BYTES = 16 * 1024 * 1024;

/** The named parts found in the archive at `path`, inflated; a name absent from the archive is absent from the map. */
export async function readZipParts(path: string, names: readonly string[], maxPartBytes = MAX_PART_BYTES): Promise<Map<string, Buffer>> {
  const handle = await fs.open(path, 'r');
  try {
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
    const wanted = new Set(names);
    const parts = new Map<string, Buffer>();
    let at = 0;
    for (let n = 0; n < entries && at + 46 <= directory.length; n++) {
      if (directory.readUInt32LE(at) !== 0x02014b50) throw new Error('the ZIP central directory is damaged');
      const method = directory.readUInt16LE(at + 10);
      const compressedSize = directory.readUInt32LE(at + 20);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const localOffset = directory.readUInt32LE(at + 42);
      const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
      at += 46 + nameLength + extraLength + commentLength;
      if (!wanted.has(name)) continue;
      const local = Buffer.alloc(30);
      await handle.read(local, 0, 30, localOffset);
      if (local.readUInt32LE(0) !== 0x04034b50) throw new Error(`the ZIP entry ${name} is damaged`);
      const dataOffset = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      if (compressedSize > maxPartBytes || dataOffset + compressedSize > size) throw new Error(`the ZIP entry ${name} is damaged or too large`);
      const data = Buffer.alloc(compressedSize);
      await handle.read(data, 0, compressedSize, dataOffset);
      if (method === 0) parts.set(name, data);
      else if (method === 8) parts.set(name, inflateRawSync(data, { maxOutputLength: maxPartBytes }));
      else throw new Error(`the ZIP entry ${name} uses compression method ${method}, which the app does not read`);
    }
    return parts;
  } finally {
    await handle.close();
  }
}
