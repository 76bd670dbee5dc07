import type { Experiment } from '../domain/experiment.js';
import { EnvironmentError } from '../domain/errors.js';
import type { Driver } from '../drivers/driver.js';
import type { DriverOptions } from './create-driver.js';

export async function createDockerDriver(_experiment: Experiment, _opts: DriverOptions): Promise<Driver> {
  throw new EnvironmentError('the docker driver is not wired into the CLI yet');
}
