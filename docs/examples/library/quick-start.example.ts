import { expect, it } from 'vitest';
import { experiment } from 'faultline';
import 'faultline/vitest';

it('survives losing its primary', async () => {
  const result = await experiment('examples/kv/kill-primary.yaml').run();
  expect(result.passed).toBe(true);
  expect(result.verdict('writes recovers within 5s').measured).toBeLessThan(1000);
  expect(result).toMeetObjectives();
  expect(result).toRecoverWithin('2s');
});
