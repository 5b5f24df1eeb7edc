import { describe, expect, it } from 'vitest';
import { addDays, dayPeriod, isoWeekOf, isValidDay, monthPeriod, periodKeyOf, weekPeriod } from './periods.js';

describe('days', () => {
  it('validates real calendar dates only', () => {
    expect(isValidDay('2024-02-29')).toBe(true);
    expect(isValidDay('2026-02-29')).toBe(false);
    expect(isValidDay('2026-13-01')).toBe(false);
    expect(isValidDay('2026-1-01')).toBe(false);
    expect(isValidDay("2026-01-01' OR 1=1")).toBe(false);
  });
  it('steps across month and year ends', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(dayPeriod('2024-03-01')).toMatchObject({ previous: '2024-02-29', next: '2024-03-02' });
  });
});

describe('ISO weeks', () => {
  it("puts early January days in the previous year's last week when ISO says so", () => {
    expect(isoWeekOf('2021-01-03')).toBe('2020-W53');
    expect(isoWeekOf('2021-01-04')).toBe('2021-W01');
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01');
    expect(isoWeekOf('2026-11-29')).toBe('2026-W48');
  });
  it('maps a week key to Monday..Sunday with neighbours', () => {
    expect(weekPeriod('2025-W01')).toMatchObject({
      from: '2024-12-30',
      to: '2025-01-05',
      previous: '2024-W52',
      next: '2025-W02',
    });
    expect(weekPeriod('2020-W53')).toMatchObject({ from: '2020-12-28', to: '2021-01-03', next: '2021-W01' });
  });
  it('rejects weeks that do not exist', () => {
    expect(weekPeriod('2021-W53')).toBeNull();
    expect(weekPeriod('2021-W00')).toBeNull();
    // Their neighbours would fall outside four-digit years.
    expect(weekPeriod('1000-W01')).toBeNull();
    expect(weekPeriod('9999-W52')).toBeNull();
    expect(weekPeriod('2021-W1')).toBeNull();
  });
});

describe('months', () => {
  it('spans the whole month, leap years included', () => {
    expect(monthPeriod('2024-02')).toMatchObject({
      from: '2024-02-01',
      to: '2024-02-29',
      previous: '2024-01',
      next: '2024-03',
    });
    expect(monthPeriod('2025-12')).toMatchObject({ to: '2025-12-31', next: '2026-01' });
    expect(monthPeriod('2025-13')).toBeNull();
  });
});

describe('periodKeyOf', () => {
  it('names the day, ISO week and month a day falls in', () => {
    expect(periodKeyOf('day', '2021-01-03')).toBe('2021-01-03');
    expect(periodKeyOf('week', '2021-01-03')).toBe('2020-W53');
    expect(periodKeyOf('month', '2021-01-03')).toBe('2021-01');
  });
});
