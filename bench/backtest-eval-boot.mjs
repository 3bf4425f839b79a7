// Worker-thread entry for bench/backtest-eval-run.ts: loads the TypeScript worker through tsx
// (a worker thread does not inherit `--import tsx`).
import { workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

await tsImport(workerData.file, import.meta.url);
