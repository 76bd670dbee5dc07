// The opt-in suite against a real cluster (kind, k3d, minikube). The main config only includes
// test/**/*.test.ts, so these *.e2e.ts files never run in `npm test`; run them with
//   FAULTLINE_E2E_KUBECONFIG=~/.kube/config npx vitest run --config test/kubernetes-e2e/vitest.config.ts
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/kubernetes-e2e/**/*.e2e.ts'],
    pool: 'forks',
    maxWorkers: 1,
    minWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
