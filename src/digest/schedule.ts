import type { Config } from '../config/index.js';
import type { Schedule } from '../jobs/scheduler.js';
import { addDays, isoWeekOf } from '../rank/periods.js';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

interface LocalTime {
  day: string;
  time: string;
  weekday: (typeof WEEKDAYS)[number];
}

/** The wall-clock day, time and weekday at `now` in a time zone. */
export function localTime(now: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'long',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    weekday: parts.weekday!.toLowerCase() as LocalTime['weekday'],
  };
}

export type DigestSettings = Pick<Config, 'DIGEST_TIME' | 'DIGEST_TIMEZONE' | 'DIGEST_WEEKDAY'>;

/**
 * Daily digests are planned at DIGEST_TIME (in DIGEST_TIMEZONE) for the day that just ended,
 * once its papers are in; weekly ones at the same time on DIGEST_WEEKDAY for the last complete
 * ISO week. Keys name the period, so each is planned once however many schedulers tick.
 */
export function digestSchedules(settings: DigestSettings): Schedule[] {
  const daily: Schedule = {
    kind: 'digest.plan',
    due(now) {
      const local = localTime(now, settings.DIGEST_TIMEZONE);
      if (local.time < settings.DIGEST_TIME) return null;
      const period = addDays(local.day, -1);
      return { uniqueKey: `digest.plan:daily:${period}`, payload: { frequency: 'daily', period } };
    },
  };
  const weekly: Schedule = {
    kind: 'digest.plan',
    due(now) {
      const local = localTime(now, settings.DIGEST_TIMEZONE);
      if (local.weekday !== settings.DIGEST_WEEKDAY || local.time < settings.DIGEST_TIME) return null;
      const period = isoWeekOf(addDays(local.day, -7));
      return { uniqueKey: `digest.plan:weekly:${period}`, payload: { frequency: 'weekly', period } };
    },
  };
  return [daily, weekly];
}
