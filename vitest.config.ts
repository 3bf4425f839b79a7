import { defineConfig } from "vitest/config";

// Three projects: fast pure unit tests; integration tests (*.int.test.ts) against a real
// PostgreSQL (and the simulator), each test file in its own database cloned from a migrated
// template created once per run in test/global-setup.ts; and the fault-injection suite
// (test/faults/**/*.fault.test.ts): real worker processes, the simulator's fault API, PostgreSQL
// stopped and restarted, kill -9. One file at a time: they measure takeover and rollback times.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "worker/**/*.test.ts", "sim/**/*.test.ts", "scripts/**/*.test.ts", "test/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude: ["node_modules/**", ".next/**"],
          environment: "node",
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Processes and ports: keep concurrency modest on 2-core machines.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: "faults",
          include: ["test/faults/**/*.fault.test.ts"],
          environment: "node",
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
    ],
  },
});
