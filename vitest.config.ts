import { defineConfig } from 'vitest/config';

// One runner for every level: unit (beside the code and test/unit), integration (real server,
// stock y-websocket clients), fault (server child processes killed with SIGKILL) and
// end-to-end (real Chromium). The machine has 2 cores: two files at a time.
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/setup/build-client.ts'],
  },
});
