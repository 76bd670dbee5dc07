import { expect, it } from 'vitest';
import { experiment, InvalidInputError } from 'faultline';

it('stops with the test: every fault is reverted before the scope ends', async () => {
  await using run = experiment('experiments/pause-db.yaml').start();
  // ...drive the service while the fault is held; leaving the block (even by a failed assertion)
  // stops the run and waits for every revert.
  const result = await run.result;
  expect(result.status).toBe('completed');
});

it('bad input is a typed error with file:line:col', async () => {
  await expect(experiment('experiments/typo.yaml').run()).rejects.toBeInstanceOf(InvalidInputError);
});

it('a test runner signal reaches the run', async ({ signal }) => {
  const result = await experiment('experiments/pause-db.yaml').run({ signal });
  expect(['completed', 'interrupted']).toContain(result.status);
});
