import type { CallMock, ResourceMock } from "./index";

/** Outputs the gcp provider computes, for the resources the program reads back. */
export const gcpResources: Record<string, ResourceMock> = {};

/** Provider functions of gcp the program calls. */
export const gcpCalls: Record<string, CallMock> = {};
