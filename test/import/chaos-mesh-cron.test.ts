// Chaos Mesh schedules as faultline cron expressions: exact equivalents only.
import { describe, expect, it } from 'vitest';
import { cronOf } from '../../src/import/chaos-mesh-cron.js';

describe('Chaos Mesh schedule → cron', () => {
  it('converts what repeats exactly on faultline\'s minute clock', () => {
    expect(cronOf('@every 1m')).toMatchObject({ cron: '* * * * *' });
    expect(cronOf('@every 60s')).toMatchObject({ cron: '* * * * *' });
    expect(cronOf('@every 15m')).toMatchObject({ cron: '*/15 * * * *' });
    expect(cronOf('@every 2h')).toMatchObject({ cron: '0 */2 * * *' });
    expect(cronOf('@every 24h')).toMatchObject({ cron: '0 0 * * *' });
    expect(cronOf('@daily')).toEqual({ cron: '0 0 * * *' });
    expect(cronOf('*/30 10-15 * * 1-5')).toEqual({ cron: '*/30 10-15 * * 1-5' });
  });

  it('says why the others are not imported', () => {
    expect(cronOf('@every 5s')).toEqual({ error: 'schedule "@every 5s": faultline schedules have minute granularity (every whole minute at most)' });
    expect(cronOf('@every 7m')).toMatchObject({ error: expect.stringContaining('no cron expression repeats exactly every 7m') });
    expect(cronOf('0 */5 * * * *')).toMatchObject({ error: expect.stringContaining('five cron fields (minute hour day-of-month month day-of-week), without seconds') });
    expect(cronOf(undefined)).toMatchObject({ error: expect.stringContaining('a Schedule needs a schedule') });
  });
});
