import type { CallMock, ResourceMock } from "./index";

/** Outputs the kubernetes provider computes, for the resources the program reads back. */
export const kubernetesResources: Record<string, ResourceMock> = {};

/** Provider functions of kubernetes the program calls. */
export const kubernetesCalls: Record<string, CallMock> = {};
