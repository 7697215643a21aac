import { loadSettings } from "./stacks";

/**
 * ai-platform: one program, per environment, for the whole AI-agent service platform.
 * Config is read and validated once, before any resource is declared.
 */
const settings = loadSettings();

// Stack outputs are a contract other teams read through StackReference: change names or shapes only
// on purpose, with a test and a README line.
export const cloud = settings.cloud;
export const environment = settings.environment;
export const region = settings.region;
