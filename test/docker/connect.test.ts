import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../src/domain/errors.js';
import { connectDocker, engineAddress } from '../../src/drivers/docker/index.js';
import { Lab, ensureDocker } from './lab.js';

const lab = new Lab('conn');
beforeAll(ensureDocker, 300_000);
afterAll(async () => {
  await lab.cleanup();
  expect(await lab.leftovers()).toEqual([]);
});

describe('connecting to the engine', () => {
  it('resolves --docker-host over DOCKER_HOST over the default socket', () => {
    expect(engineAddress({ env: {} })).toMatchObject({ options: { socketPath: '/var/run/docker.sock' }, where: 'unix:///var/run/docker.sock (default)', local: true });
    expect(engineAddress({ env: { DOCKER_HOST: 'unix:///tmp/d.sock' } }).where).toBe('unix:///tmp/d.sock (DOCKER_HOST)');
    expect(engineAddress({ host: 'tcp://10.1.2.3:2375', env: { DOCKER_HOST: 'unix:///tmp/d.sock' } })).toMatchObject({
      options: { host: '10.1.2.3', port: '2375', protocol: 'http' },
      where: 'tcp://10.1.2.3:2375 (--docker-host)',
      local: false,
    });
    expect(engineAddress({ env: { DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: '1' } })).toMatchObject({ options: { protocol: 'https' }, local: true });
    expect(() => engineAddress({ env: { DOCKER_HOST: 'ssh://me@box' } })).toThrow(EnvironmentError);
    expect(() => engineAddress({ env: { DOCKER_HOST: 'tcp://10.0.0.1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nonexistent' } })).toThrow(/DOCKER_CERT_PATH=\/nonexistent/);
  });

  it('an unreachable engine is one EnvironmentError (exit 3) naming where it looked', async () => {
    const err = await connectDocker({ env: { DOCKER_HOST: 'unix:///tmp/faultline-dead.sock' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).exitCode).toBe(3);
    expect((err as Error).message).toBe(
      'cannot reach the Docker engine at unix:///tmp/faultline-dead.sock (DOCKER_HOST): no socket there. Start Docker there, or point DOCKER_HOST (or --docker-host) at a running engine.',
    );
    const refused = await connectDocker({ host: 'tcp://127.0.0.1:1' }).catch((e: unknown) => e);
    expect((refused as Error).message).toMatch(/tcp:\/\/127\.0\.0\.1:1 \(--docker-host\): connection refused/);
    const fromFile = await connectDocker({ host: 'tcp://127.0.0.1:1', hostFrom: 'spec.docker.host at x.yaml:7:11' }).catch((e: unknown) => e);
    expect((fromFile as Error).message).toBe('cannot reach the Docker engine at tcp://127.0.0.1:1 (spec.docker.host at x.yaml:7:11): connection refused. Start Docker there, or change spec.docker.host at x.yaml:7:11 (--docker-host overrides it).');
  });

  it('connects to the running engine', async () => {
    const d = await connectDocker({ env: {} });
    expect(d.name).toBe('docker');
    expect(await d.candidates({ labels: { 'faultline.test.lab': lab.id } }, 'g', lab.ctx())).toEqual([]);
  });
});
