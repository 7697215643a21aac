import { read } from "./values";

/** GKE facts several rule files share (compute and identity both skip node checks on Autopilot). */

/** Autopilot clusters manage nodes themselves; node-level checks do not apply to them. */
export const isAutopilot = (c: { enableAutopilot?: boolean }) => read(() => c.enableAutopilot) === true;
