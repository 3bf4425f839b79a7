export * from "./readiness-types";
export * from "./evaluate-readiness";
export * from "./shadow-comparison-test";
