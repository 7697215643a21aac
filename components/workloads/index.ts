export { AgentPlatform, type AgentPlatformArgs } from "./platform";
