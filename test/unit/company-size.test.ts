import { expect } from 'chai';
import { companySize, sizeNeedsAssets, sizeRowFor } from '../../server/domain/company-size';

const WAN = 10_000;
const size = (industry: string, employees: number, revenueWan: number, assetsWan?: number) =>
  companySize({ industry, employees, revenue: Math.round(revenueWan * WAN), assets: assetsWan === undefined ? undefined : Math.round(assetsWan * WAN) });

describe('companySize (工信部联企业〔2011〕300号)', () => {
  describe('industry (B, C, D): SME if Y<1000 or R<40000; medium Y≥300 & R≥2000; small Y≥20 & R≥300', () => {
    it('is large only at Y≥1000 and R≥40000 together', () => {
      expect(size('C33', 1000, 40000)).to.equal('large');
      expect(size('C33', 999, 40000)).to.equal('medium');
      expect(size('C33', 1000, 39999.99)).to.equal('medium');
    });
    it('is medium from Y=300 and R=2000', () => {
      expect(size('C', 300, 2000)).to.equal('medium');
      expect(size('C', 299, 2000)).to.equal('small');
      expect(size('C', 300, 1999.99)).to.equal('small');
    });
    it('is small from Y=20 and R=300, else micro', () => {
      expect(size('D44', 20, 300)).to.equal('small');
      expect(size('D44', 19, 300)).to.equal('micro');
      expect(size('B06', 20, 299.99)).to.equal('micro');
    });
  });

  describe('wholesale (F51): SME if Y<200 or R<40000; medium Y≥20 & R≥5000; small Y≥5 & R≥1000', () => {
    it('draws each line where the table does', () => {
      expect(size('F51', 200, 40000)).to.equal('large');
      expect(size('F51', 199, 40000)).to.equal('medium');
      expect(size('F51', 20, 5000)).to.equal('medium');
      expect(size('F51', 19, 5000)).to.equal('small');
      expect(size('F51', 20, 4999.99)).to.equal('small');
      expect(size('F512', 5, 1000)).to.equal('small');
      expect(size('F51', 4, 1000)).to.equal('micro');
      expect(size('F51', 5, 999.99)).to.equal('micro');
    });
  });

  describe('retail (F52): SME if Y<300 or R<20000; medium Y≥50 & R≥500; small Y≥10 & R≥100', () => {
    it('draws each line where the table does', () => {
      expect(size('F52', 300, 20000)).to.equal('large');
      expect(size('F52', 300, 19999.99)).to.equal('medium');
      expect(size('F52', 50, 500)).to.equal('medium');
      expect(size('F52', 49, 500)).to.equal('small');
      expect(size('F52', 50, 499.99)).to.equal('small');
      expect(size('F52', 10, 100)).to.equal('small');
      expect(size('F52', 9, 100)).to.equal('micro');
      expect(size('F52', 10, 99.99)).to.equal('micro');
    });
  });

  describe('software and IT services (I65): SME if Y<300 or R<10000; medium Y≥100 & R≥1000; small Y≥10 & R≥50', () => {
    it('draws each line where the table does', () => {
      expect(size('I65', 300, 10000)).to.equal('large');
      expect(size('I65', 299, 10000)).to.equal('medium');
      expect(size('I6510', 100, 1000)).to.equal('medium');
      expect(size('I65', 99, 1000)).to.equal('small');
      expect(size('I65', 100, 999.99)).to.equal('small');
      expect(size('I65', 10, 50)).to.equal('small');
      expect(size('I65', 9, 50)).to.equal('micro');
      expect(size('I65', 10, 49.99)).to.equal('micro');
    });
  });

  describe('rows using total assets', () => {
    it('classifies construction (E) by revenue and assets', () => {
      expect(size('E48', 50, 80000, 80000)).to.equal('large');
      expect(size('E48', 50, 80000, 79999)).to.equal('medium');
      expect(size('E48', 50, 6000, 5000)).to.equal('medium');
      expect(size('E48', 50, 6000, 4999)).to.equal('small');
      expect(size('E48', 50, 300, 300)).to.equal('small');
      expect(size('E48', 50, 300, 299)).to.equal('micro');
      expect(sizeNeedsAssets('E48')).to.equal(true);
      expect(sizeNeedsAssets('C33')).to.equal(false);
    });
    it('classifies leasing and business services (L) by headcount and assets', () => {
      expect(size('L72', 100, 0, 8000)).to.equal('medium');
      expect(size('L72', 10, 0, 100)).to.equal('small');
      expect(size('L72', 10, 0, 99)).to.equal('micro');
    });
  });

  describe('rows by code', () => {
    it('takes the most specific listed prefix, and "other" for a bare section with sub-rows', () => {
      expect(sizeRowFor('K702').name).to.equal('property_management');
      expect(sizeRowFor('K7010').name).to.equal('real_estate_development');
      expect(sizeRowFor('K').name).to.equal('other');
      expect(sizeRowFor('G59').name).to.equal('warehousing');
      expect(sizeRowFor('G54').name).to.equal('transport');
      expect(sizeRowFor('M73').name).to.equal('other');
      expect(size('M73', 100, 0)).to.equal('medium');
      expect(size('M73', 99, 0)).to.equal('small');
      expect(size('M73', 300, 0)).to.equal('large');
    });
  });
});
