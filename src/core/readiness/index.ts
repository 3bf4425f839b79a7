export * from "./readiness-types";
export * from "./evaluate-readiness";
