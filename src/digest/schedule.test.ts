import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { schedules } from '../jobs/tasks.js';
import { digestSchedules, localTime } from './schedule.js';

const settings = { DIGEST_TIME: '07:00', DIGEST_TIMEZONE: 'Europe/Berlin', DIGEST_WEEKDAY: 'monday' } as const;
const [daily, weekly] = digestSchedules(settings);

describe('digest schedules', () => {
  it('reads the wall clock in the configured time zone', () => {
    expect(localTime(new Date('2026-11-29T23:30:00Z'), 'Europe/Berlin')).toEqual({
      day: '2026-11-30',
      time: '00:30',
      weekday: 'monday',
    });
    expect(localTime(new Date('2026-11-29T23:30:00Z'), 'America/New_York')).toEqual({
      day: '2026-11-29',
      time: '18:30',
      weekday: 'sunday',
    });
  });

  it('plans the previous day at DIGEST_TIME local time, once per day', () => {
    // 05:59 UTC is 06:59 in Berlin: not yet.
    expect(daily!.due(new Date('2026-11-30T05:59:00Z'))).toBeNull();
    expect(daily!.due(new Date('2026-11-30T06:00:00Z'))).toEqual({
      uniqueKey: 'digest.plan:daily:2026-11-29',
      payload: { frequency: 'daily', period: '2026-11-29' },
    });
    expect(daily!.due(new Date('2026-11-30T20:00:00Z'))!.uniqueKey).toBe('digest.plan:daily:2026-11-29');
  });

  it('plans the last complete ISO week on DIGEST_WEEKDAY', () => {
    // Monday 30 Nov 2026, 07:30 in Berlin: the week of 23–29 Nov is 2026-W48.
    expect(weekly!.due(new Date('2026-11-30T06:30:00Z'))).toEqual({
      uniqueKey: 'digest.plan:weekly:2026-W48',
      payload: { frequency: 'weekly', period: '2026-W48' },
    });
    expect(weekly!.due(new Date('2026-11-30T05:30:00Z'))).toBeNull();
    expect(weekly!.due(new Date('2026-12-01T06:30:00Z'))).toBeNull();
  });
});

describe('the scheduler plan', () => {
  it('plans and sends digests only when SMTP_URL names a mail server', () => {
    const kinds = (env: Record<string, string>) =>
      schedules(loadConfig({ ARXIV_INGEST_ENABLED: 'false', ...env }))
        .map((s) => s.kind)
        .filter((kind) => kind.startsWith('digest.'));
    expect(kinds({})).toEqual([]);
    expect(kinds({ SMTP_URL: 'smtp://127.0.0.1:2525' })).toEqual(['digest.plan', 'digest.plan', 'digest.send']);
  });
});
