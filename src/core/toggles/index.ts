export * from "./toggle-definitions";
export * from "./parse-toggle";
export * from "./resolve-operational-state";
export * from "./classify-change";
export * from "./describe-config";
