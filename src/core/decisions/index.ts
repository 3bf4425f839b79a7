// Shadow log, executor log lines, decision ids and the shadow-vs-legacy comparison (pure).
export * from "./decision-id";
export * from "./executor-log-lines";
export * from "./legacy-return";
export * from "./replay-shadow-decisions";
export * from "./shadow-record";
