export * from "./schema";
export * from "./defaults";
export * from "./settings";
export * from "./reference";
export * from "./recovery";
export * from "./errors";
export * from "./tenants";
