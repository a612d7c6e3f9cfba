import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { addWorkingMs, addWorkingTime, CalendarGapError, isWorkingDay, workingHoursBetween } from '../../server/domain/calendar';
import { rootDir } from '../../server/paths';
import { sh } from '../helpers/time';

/** An instant given as Shanghai wall time. */
/** The Shanghai calendar date of an instant. */
const shDate = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

describe('working-day calendar (State Council schedules, Asia/Shanghai)', () => {
  describe('isWorkingDay', () => {
    const cases: [string, boolean, string][] = [
      ['2026-02-13T12:00', true, 'a Friday'],
      ['2026-02-14T12:00', true, 'Saturday, a make-up working day'],
      ['2026-02-16T12:00', false, 'Spring Festival'],
      ['2026-02-28T12:00', true, 'Saturday, make-up after Spring Festival'],
      ['2026-10-08T12:00', true, 'the Thursday after National Day'],
      ['2026-10-10T12:00', true, 'Saturday, make-up after National Day'],
      ['2026-10-11T12:00', false, 'an ordinary Sunday'],
      ['2025-01-26T12:00', true, 'Sunday, make-up before Spring Festival 2025'],
      ['2025-02-04T12:00', false, 'the last day of Spring Festival 2025'],
      ['2025-10-08T12:00', false, 'the last day of National Day 2025'],
    ];
    for (const [at, expected, what] of cases) {
      it(`${at.slice(0, 10)} (${what}) is ${expected ? '' : 'not '}a working day`, () => {
        expect(isWorkingDay(sh(at))).to.equal(expected);
      });
    }

    it('judges the Shanghai day: 23:30 UTC on a Friday is already Saturday in Shanghai', () => {
      expect(isWorkingDay(new Date('2026-03-06T23:30:00Z'))).to.equal(false); // Sat 07:30 in Shanghai
      expect(isWorkingDay(new Date('2026-03-06T15:59:59Z'))).to.equal(true); // Fri 23:59:59
    });

    it('refuses a year without a schedule, saying which file to add', () => {
      expect(() => isWorkingDay(sh('2027-03-01T12:00'))).to.throw(CalendarGapError, /2027\.json/);
    });
  });

  describe('addWorkingTime', () => {
    it('2026-02-13 (Fri) + 1 working day lands on 2026-02-14 (Sat, make-up)', () => {
      expect(addWorkingTime(sh('2026-02-13T10:00'), 1)).to.deep.equal(sh('2026-02-14T10:00'));
    });
    it('2026-09-30 + 1 working day lands on 2026-10-08', () => {
      expect(shDate(addWorkingTime(sh('2026-09-30T10:00'), 1))).to.equal('2026-10-08');
    });
    it('2026-10-09 + 1 lands on 2026-10-10 (Sat, make-up)', () => {
      expect(shDate(addWorkingTime(sh('2026-10-09T16:30'), 1))).to.equal('2026-10-10');
    });
    it('2025-01-27 + 1 lands on 2025-02-05', () => {
      expect(shDate(addWorkingTime(sh('2025-01-27T09:00'), 1))).to.equal('2025-02-05');
    });
    it('starts a Saturday submission\'s clock at the next working day: due at the end of that day', () => {
      expect(addWorkingTime(sh('2026-03-07T10:00'), 1)).to.deep.equal(sh('2026-03-10T00:00')); // end of Monday 9 March
    });
    it('counts 3 and 5 working days across a holiday', () => {
      expect(shDate(addWorkingTime(sh('2026-04-02T09:00'), 3))).to.equal('2026-04-08'); // Thu + Fri, Tue, Wed (Mon 6 April is Qingming)
      // Thu 24 Sep 09:00: 15 h that day; Mid-Autumn (25–27) and National Day (1–7 Oct) skipped; 28, 29, 30 Sep and 8 Oct make 111 h; 9 h more.
      expect(addWorkingTime(sh('2026-09-24T09:00'), 5)).to.deep.equal(sh('2026-10-09T09:00'));
      expect(() => addWorkingTime(sh('2026-12-31T09:00'), 5)).to.throw(CalendarGapError);
    });
    it('subtracts working time too: 2 working hours before a Monday 01:00 deadline is Friday 23:00', () => {
      expect(addWorkingMs(sh('2026-03-09T01:00'), -2 * 3_600_000)).to.deep.equal(sh('2026-03-06T23:00'));
    });
  });

  describe('workingHoursBetween', () => {
    it('counts only time on working days', () => {
      expect(workingHoursBetween(sh('2026-03-06T10:00'), sh('2026-03-09T10:00'))).to.equal(24); // Fri 10:00 → Mon 10:00
      expect(workingHoursBetween(sh('2026-09-30T12:00'), sh('2026-10-08T12:00'))).to.equal(24);
      expect(workingHoursBetween(sh('2026-03-07T09:00'), sh('2026-03-08T18:00'))).to.equal(0); // a weekend
      expect(workingHoursBetween(sh('2026-03-09T10:00'), sh('2026-03-06T10:00'))).to.equal(-24);
    });
    it('inverts addWorkingTime', () => {
      const start = sh('2026-02-12T17:45');
      expect(workingHoursBetween(start, addWorkingTime(start, 5))).to.equal(120);
    });
  });

  describe('whatever the server\'s time zone', () => {
    for (const tz of ['UTC', 'America/New_York']) {
      it(`gives the same answers with TZ=${tz}`, () => {
        const script = `
          import { addWorkingTime, isWorkingDay, workingHoursBetween } from './server/domain/calendar.ts';
          const sh = (l) => new Date(l + '+08:00');
          console.log(JSON.stringify([
            addWorkingTime(sh('2026-02-13T10:00'), 1).toISOString(),
            addWorkingTime(sh('2026-03-07T10:00'), 1).toISOString(),
            isWorkingDay(new Date('2026-03-06T23:30:00Z')),
            workingHoursBetween(sh('2026-09-30T12:00'), sh('2026-10-08T12:00')),
          ]));`;
        const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: rootDir, env: { ...process.env, TZ: tz }, encoding: 'utf8' });
        expect(JSON.parse(out.trim().split('\n').pop()!)).to.deep.equal([
          addWorkingTime(sh('2026-02-13T10:00'), 1).toISOString(),
          addWorkingTime(sh('2026-03-07T10:00'), 1).toISOString(),
          false,
          24,
        ]);
      });
    }
  });
});
