import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { readXlsx, writeXlsx, XlsxReadError } from '../../server/xlsx';
import { withExtraEntry, zipParts } from '../helpers/zip';

/** Calls readXlsx and answers the error it throws (the test fails when it reads the file instead). */
async function refusal(bytes: Uint8Array, maxRows = 5001): Promise<XlsxReadError> {
  try {
    const rows = await readXlsx(bytes, maxRows);
    expect.fail(`the workbook was read: ${JSON.stringify(rows).slice(0, 200)}`);
  } catch (err) {
    if (!(err instanceof XlsxReadError)) throw err;
    return err;
  }
}

async function bookBytes(fill: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  fill(book.addWorksheet('products'));
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('server/xlsx', function () {
  this.timeout(60_000);

  it('readXlsx › when 1,200 rows each hold one cell in column XFD › refuses the sheet as too wide, quickly and without running out of memory', async () => {
    const wide = await bookBytes((sheet) => {
      for (let r = 1; r <= 1200; r++) sheet.getCell(r, 16384).value = 'x';
    });
    expect(wide.length, 'small on the wire').to.be.below(20_000);
    const started = Date.now();
    const rss = process.memoryUsage().rss;
    const err = await refusal(wide);
    expect(err.path).to.equal('body');
    expect(err.message).to.match(/16384 columns wide.*XFD/);
    expect(Date.now() - started, 'ms').to.be.below(10_000);
    expect(process.memoryUsage().rss - rss, 'bytes of memory taken').to.be.below(200 * 1024 * 1024);
  });

  it('readXlsx › when a sheet is taller than the row cap › refuses it on body', async () => {
    const tall = await bookBytes((sheet) => {
      sheet.addRow(['code']);
      sheet.getCell(1_000_000, 1).value = 'x';
    });
    expect((await refusal(tall, 5001)).message).to.match(/reaches row 1000000/);
  });

  it('readXlsx › when a data row has cells past the header’s width › reads only the header’s columns', async () => {
    const bytes = await bookBytes((sheet) => {
      sheet.addRow(['bankCode', 'code']);
      sheet.addRow(['ABC', 'X1', 'stray', 'more']);
      sheet.addRow([null, 'X2']);
    });
    expect(await readXlsx(bytes, 10)).to.deep.equal([['bankCode', 'code'], ['ABC', 'X1'], ['', 'X2']]);
  });

  it('readXlsx › when a date-formatted cell holds an impossible date › refuses it naming the row and column', async () => {
    const bytes = await bookBytes((sheet) => {
      sheet.addRow(['bankCode', 'code', 'name']);
      sheet.addRow(['ABC', 'X1', 1e15]).getCell(3).numFmt = 'yyyy-mm-dd';
    });
    const err = await refusal(bytes);
    expect(err.path).to.equal('rows.1.name');
    expect(err.message).to.match(/^row 1: .*C2/);
  });

  describe('the unpacked-size budget', () => {
    let good: Buffer;
    before(async () => {
      good = await writeXlsx('products', [['bankCode', 'code'], ['ABC', 'X1']]);
    });

    it('readXlsx › when the end record counts fewer entries than the directory holds and the hidden one inflates past 64 MB › refuses it before exceljs reads it', async () => {
      const bomb = withExtraEntry(good, 200 * 1024 * 1024);
      expect(bomb.length, 'small on the wire').to.be.below(400_000);
      const rss = process.memoryUsage().rss;
      const err = await refusal(bomb);
      expect(err.path).to.equal('body');
      expect(process.memoryUsage().rss - rss, 'bytes of memory taken').to.be.below(150 * 1024 * 1024);
    });

    it('readXlsx › when the end record undercounts a small extra entry › refuses the directory as inconsistent', async () => {
      expect((await refusal(withExtraEntry(good, 10))).message).to.match(/holds \d+ entries, its end record counts \d+/);
    });

    it('readXlsx › when two entries share a name › refuses the archive', async () => {
      expect((await refusal(withExtraEntry(good, 10, { name: 'xl/workbook.xml', counted: 'all' }))).message).to.match(/appears twice/);
    });

    it('readXlsx › when the directory does not end at the end record › refuses the archive', async () => {
      const { locals, cd, end } = zipParts(good);
      end.writeUInt32LE(locals.length - 1, 16); // JSZip would read the archive as shifted by a byte
      expect((await refusal(Buffer.concat([locals, cd, end]))).message).to.match(/does not end where/);
    });

    it('readXlsx › when the extra entry is counted and small › reads the workbook as before', async () => {
      expect(await readXlsx(withExtraEntry(good, 1000, { counted: 'all' }), 10)).to.deep.equal([['bankCode', 'code'], ['ABC', 'X1']]);
    });
  });
});
