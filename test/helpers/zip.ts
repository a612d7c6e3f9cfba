import { deflateRawSync } from 'node:zlib';

/** The parts of a zip: its local entries, its central directory and its end record. */
export function zipParts(zip: Buffer) {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  const cdSize = zip.readUInt32LE(eocd + 12);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  return { locals: zip.subarray(0, cdOffset), cd: zip.subarray(cdOffset, cdOffset + cdSize), end: Buffer.from(zip.subarray(eocd)), count };
}

/**
 * A real workbook with one more entry of `size` zero bytes (a few hundred kB deflated), listed in the central
 * directory; the end record counts `counted` entries (the original count hides the extra one from a checker that
 * trusts it, while JSZip reads every header it finds).
 */
export function withExtraEntry(zip: Buffer, size: number, { name = 'xl/media/image1.png', counted = 'original' as 'original' | 'all' } = {}): Buffer {
  const { locals, cd, end, count } = zipParts(zip);
  const packed = deflateRawSync(Buffer.alloc(size), { level: 9 });
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
  local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(size, 22); local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
  central.writeUInt32LE(packed.length, 20); central.writeUInt32LE(size, 24); central.writeUInt16LE(nameBytes.length, 28); central.writeUInt32LE(locals.length, 42);
  const newLocals = Buffer.concat([locals, local, nameBytes, packed]);
  const newCd = Buffer.concat([cd, central, nameBytes]);
  const n = counted === 'all' ? count + 1 : count;
  end.writeUInt16LE(n, 8); end.writeUInt16LE(n, 10); end.writeUInt32LE(newCd.length, 12); end.writeUInt32LE(newLocals.length, 16);
  return Buffer.concat([newLocals, newCd, end]);
}
