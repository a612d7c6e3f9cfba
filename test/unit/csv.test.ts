import { expect } from 'chai';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { decodeText, neutralise, numberText, readCsv, unguard, writeCsv } from '../../server/csv';

const gb18030 = (text: string) => new Uint8Array(iconv.encode(text, 'gb18030'));

describe('server/csv', () => {
  describe('writeCsv › a cell a spreadsheet would run', () => {
    for (const formula of ['=HYPERLINK("http://evil.example","点我")', '+1', '-1+2', '@SUM(A1:A9)', '\t=1', '\r=1', '＝1+1', '＋1', '－1', '＠SUM(A1)']) {
      it(`writeCsv › when a text cell is ${JSON.stringify(formula)} › starts it with a guard quote`, () => {
        const out = writeCsv([[formula]], { bom: false });
        expect(out.replace(/^"/, ''), 'the written cell').to.match(/^'/);
        expect(readCsv(out), 'read back').to.deep.equal([[formula]]);
      });
    }

    it('writeCsv › when numbers are numbers (or numeric text) › leaves -5 and 5.10 as they are', () => {
      expect(writeCsv([[-5, numberText('-5'), numberText('5.10'), 10n, '-5']], { bom: false })).to.equal("-5,-5,5.10,10,'-5\r\n");
    });

    it('writeCsv › when numeric text is not a number › guards it like any text', () => {
      expect(writeCsv([[numberText('-1+2')]], { bom: false })).to.equal("'-1+2\r\n");
    });

    it('writeCsv › by default › starts with a UTF-8 BOM and ends rows with CRLF, quoting commas, quotes and line breaks', () => {
      expect(writeCsv([['a,b', 'say "hi"', 'x\ny'], [null, true, undefined]])).to.equal('\uFEFF"a,b","say ""hi""","x\ny"\r\n,true,\r\n');
    });
  });

  describe('readCsv', () => {
    it('readCsv › for any table of strings › reads back exactly what writeCsv wrote (guards removed)', () => {
      fc.assert(fc.property(fc.array(fc.array(fc.oneof(fc.string(), fc.constantFrom("'", "'=x", "''", '=1', '-', "'-1", '＝', 'a\r\nb')), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
        // A row of one empty cell is a blank line, which the reader skips.
        const kept = rows.filter((r) => !(r.length === 1 && r[0] === ''));
        expect(readCsv(writeCsv(kept))).to.deep.equal(kept);
      }), { numRuns: 300 });
    });

    it('unguard › when a value starts with a quote the export did not add › keeps it', () => {
      expect(unguard("'tis")).to.equal("'tis");
      expect(unguard(neutralise("'=x"))).to.equal("'=x");
    });
  });

  describe('decodeText', () => {
    it('decodeText › when the file is UTF-8 with or without a BOM › reads it as UTF-8', () => {
      const text = 'name\r\n经营快贷\r\n';
      expect(decodeText(new TextEncoder().encode(`\uFEFF${text}`))).to.deep.equal({ text, encoding: 'utf-8' });
      expect(decodeText(new TextEncoder().encode(text))).to.deep.equal({ text, encoding: 'utf-8' });
    });

    it('decodeText › when Excel saved it as GB18030 with CRLF › reads the Chinese intact', () => {
      const text = 'code,name\r\nA1,经营快贷\r\nA2,肇庆市高要区金利五金制品有限公司\r\n';
      expect(decodeText(gb18030(text))).to.deep.equal({ text, encoding: 'gb18030' });
    });

    it('decodeText › when a byte decodes in neither encoding › names the record it is in (0 is the header)', () => {
      const bytes = (before: string, after: string) => new Uint8Array([...gb18030(before), 0xff, ...gb18030(after)]);
      expect(decodeText(bytes('code,name\r\nA1,经营快贷\r\nA2,快', '贷\r\n'))).to.deep.equal({ badRecord: 2 });
      expect(decodeText(bytes('co', 'de,name\r\nA1,经营快贷\r\n'))).to.deep.equal({ badRecord: 0 });
      // With a UTF-8 BOM the file is UTF-8, even where its damaged bytes would pass as GB18030.
      const utf8 = new TextEncoder().encode('\uFEFFcode,name\r\nA1,经营快贷\r\nA2,经营');
      expect(decodeText(new Uint8Array([...utf8.subarray(0, utf8.length - 1), ...new TextEncoder().encode('贷\r\n')]))).to.deep.equal({ badRecord: 2 });
      // A quoted line break does not end a record.
      expect(decodeText(bytes('code,name\r\nA1,"经营\r\n快贷"\r\nA2,', '\r\n'))).to.deep.equal({ badRecord: 2 });
    });

    it('decodeText › when UTF-8 without a BOM has one damaged byte › names its record instead of reading the file as GB18030 mojibake', () => {
      const utf8 = Buffer.from('bankCode,code,name,description\r\nZQRCB,GY-01,经营快贷,小微企业经营\r\n', 'utf-8');
      utf8[utf8.indexOf(Buffer.from('快', 'utf-8')) + 2] = 0xc0;
      expect(decodeText(new Uint8Array(utf8))).to.deep.equal({ badRecord: 1 });
    });

    it('decodeText › when any Chinese text is saved as GB18030 › still reads it as GB18030', () => {
      const hanzi = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c));
      const line = fc.array(fc.oneof(hanzi, hanzi, hanzi, fc.constantFrom(',', ' ', '，', 'A', '1')), { minLength: 1, maxLength: 40 }).map((cs) => cs.join(''));
      fc.assert(fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => {
        const text = `code,name\r\n${lines.map((l, i) => `A${i},${l.replace(/,/g, '')}`).join('\r\n')}\r\n`;
        const bytes = gb18030(text);
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
          return; // also valid UTF-8 (一 alone is D2 BB): UTF-8 wins, as before
        } catch { /* the case under test */ }
        expect(decodeText(bytes)).to.deep.equal({ text, encoding: 'gb18030' });
      }), { numRuns: 500 });
    });
  });
});
