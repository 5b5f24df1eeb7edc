/**
 * The feed's periods (a day, an ISO week, a month) as inclusive day ranges, with their neighbours.
 * Pure date arithmetic in UTC on 'YYYY-MM-DD' strings.
 */
export type PeriodKind = 'day' | 'week' | 'month';

export interface Period {
  kind: PeriodKind;
  /** Canonical key: 2026-11-29, 2026-W48, 2026-11. */
  key: string;
  from: string;
  to: string;
  previous: string;
  next: string;
}

const DAY_MS = 86_400_000;

function toDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function dayMs(day: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  // Reject dates that roll over, such as 2026-02-30.
  return toDay(ms) === day && y >= 1000 ? ms : null;
}

export function isValidDay(day: string): boolean {
  return dayMs(day) !== null;
}

export function addDays(day: string, days: number): string {
  const ms = dayMs(day);
  if (ms === null) throw new RangeError(`not a date: ${day}`);
  return toDay(ms + days * DAY_MS);
}

/** The ISO-8601 week key (YYYY-Www) a day belongs to; the week's year can differ from the day's. */
export function isoWeekOf(day: string): string {
  const ms = dayMs(day);
  if (ms === null) throw new RangeError(`not a date: ${day}`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday = 0
  const thursday = ms + (3 - weekday) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

function mondayOfIsoWeek(year: number, week: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Weekday = (new Date(jan4).getUTCDay() + 6) % 7;
  return jan4 - jan4Weekday * DAY_MS + (week - 1) * 7 * DAY_MS;
}

export function dayPeriod(day: string): Period | null {
  if (!isValidDay(day)) return null;
  return { kind: 'day', key: day, from: day, to: day, previous: addDays(day, -1), next: addDays(day, 1) };
}

export function weekPeriod(key: string): Period | null {
  const match = /^(\d{4})-W(\d{2})$/.exec(key);
  if (!match) return null;
  const [year, week] = [Number(match[1]), Number(match[2])];
  // The first and last years are refused whole: their neighbouring weeks have no four-digit date.
  if (week < 1 || year <= 1000 || year >= 9999) return null;
  const monday = mondayOfIsoWeek(year, week);
  if (isoWeekOf(toDay(monday)) !== key) return null; // week 53 only exists in some years
  const from = toDay(monday);
  return {
    kind: 'week',
    key,
    from,
    to: toDay(monday + 6 * DAY_MS),
    previous: isoWeekOf(toDay(monday - 7 * DAY_MS)),
    next: isoWeekOf(toDay(monday + 7 * DAY_MS)),
  };
}

export function monthPeriod(key: string): Period | null {
  const match = /^(\d{4})-(\d{2})$/.exec(key);
  if (!match) return null;
  const [year, month] = [Number(match[1]), Number(match[2])];
  if (month < 1 || month > 12 || year < 1000) return null;
  const first = Date.UTC(year, month - 1, 1);
  const nextFirst = Date.UTC(year, month, 1);
  const previousFirst = Date.UTC(year, month - 2, 1);
  return {
    kind: 'month',
    key,
    from: toDay(first),
    to: toDay(nextFirst - DAY_MS),
    previous: toDay(previousFirst).slice(0, 7),
    next: toDay(nextFirst).slice(0, 7),
  };
}

/** The key of the period of `kind` that contains `day` (2026-11-27 → 2026-W48, 2026-11). */
export function periodKeyOf(kind: PeriodKind, day: string): string {
  if (kind === 'day') return day;
  return kind === 'week' ? isoWeekOf(day) : day.slice(0, 7);
}

export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
