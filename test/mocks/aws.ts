import type { CallMock, ResourceMock } from "./index";

/** Outputs the aws provider computes, for the resources the program reads back. */
export const awsResources: Record<string, ResourceMock> = {};

/** Provider functions of aws the program calls. */
export const awsCalls: Record<string, CallMock> = {};
