import * as pulumi from "@pulumi/pulumi";
import { AwsFoundation } from "./components/aws/foundation";
import type { Foundation } from "./components/contract";
import { GcpFoundation } from "./components/gcp/foundation";
import { Operations } from "./components/operations/operations";
import { AgentPlatform } from "./components/workloads/platform";
import { loadSettings } from "./stacks";

/**
 * ai-platform: one program, per environment, for the whole AI-agent service platform.
 * Config is read and validated once, before any resource is declared; the cloud is chosen here and
 * nowhere else: everything above the foundation sees only the cloud-neutral contract.
 */
const settings = loadSettings();

const foundation: Foundation =
    settings.cloud === "aws" ? new AwsFoundation("ai-platform", { settings }).contract : new GcpFoundation("ai-platform", { settings }).contract;

const platform = new AgentPlatform("ai-platform", { settings, foundation });
// The backup job and runbook live in the app namespace and use the backup ServiceAccount the platform creates.
const operations = new Operations("ai-platform", { settings, foundation }, { dependsOn: [platform] });

// Stack outputs are a contract other teams read through StackReference: change names or shapes only
// on purpose, with a test and a README line.
export const cloud = settings.cloud;
export const environment = settings.environment;
export const region = settings.region;
export const vpcId = foundation.network.id;
export const privateSubnetIds = foundation.network.privateSubnetIds;
export const clusterName = foundation.cluster.name;
export const kubeconfig = pulumi.secret(foundation.cluster.kubeconfig);
export const databaseHost = foundation.database.host;
export const databasePort = foundation.database.port;
export const databaseSecretRef = foundation.database.secretRef;
export const cacheHost = foundation.cache.host;
export const cachePort = foundation.cache.port;
export const imageRef = foundation.image.ref;
export const backupBucket = foundation.backups.bucket;
export const namespace = platform.namespace;
export const apiUrl = platform.apiUrl;
export const ingressHostname = platform.ingressHostname;
export const rpoMinutes = operations.rpoMinutes;
export const rtoMinutes = operations.rtoMinutes;
export const backupSchedule = operations.backupSchedule;
