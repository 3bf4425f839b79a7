// A worker thread of the evaluation: runs the jobs it is sent (bench/backtest-eval-run.ts) and
// posts each job's PartRun back.
import { parentPort, workerData } from "node:worker_threads";
import { runJob, type EvalJob, type EvalRequest } from "./backtest-eval-run";

const { req } = workerData as { req: EvalRequest };
parentPort?.on("message", (job: EvalJob) => {
  parentPort?.postMessage(runJob(job, req));
});
