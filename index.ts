import * as pulumi from "@pulumi/pulumi";
import { AwsFoundation } from "./components/aws/foundation";
import type { Foundation } from "./components/contract";
import { GcpFoundation } from "./components/gcp/foundation";
import { Operations } from "./components/operations/operations";
import { AgentPlatform } from "./components/workloads/platform";
import { contractVersion as version, platformOutputs, type PlatformOutputs } from "./contract/outputs";
import { loadSettings } from "./stacks";

/**
 * ai-platform: one program, per environment, for the whole AI-agent service platform.
 * Config is read and validated once, before any resource is declared; the cloud is chosen here and
 * nowhere else: everything above the foundation sees only the cloud-neutral contract.
 */
const settings = loadSettings();

const foundation: Foundation = settings.cloud === "aws" ? new AwsFoundation("ai-platform", { settings }).contract : new GcpFoundation("ai-platform", { settings }).contract;

const platform = new AgentPlatform("ai-platform", { settings, foundation });
// The backup job and runbook run with the namespace, Secret, ServiceAccount and NetworkPolicies the platform hands over.
const operations = new Operations("ai-platform", { settings, foundation, service: platform.service });

/**
 * Stack outputs are a contract other teams read through StackReference (the consumer module
 * `ai-platform/consumer`): names, types and secrecy are declared in contract/outputs.ts, and the
 * compiler holds this object to them. Outputs declared secret are exported as secrets.
 */
const outputs: { [K in keyof PlatformOutputs]: pulumi.Input<PlatformOutputs[K]> } = {
    contractVersion: version,
    cloud: settings.cloud,
    environment: settings.environment,
    region: settings.region,
    vpcId: foundation.network.id,
    privateSubnetIds: foundation.network.privateSubnetIds,
    clusterName: foundation.cluster.name,
    kubeconfig: foundation.cluster.kubeconfig,
    databaseHost: foundation.database.host,
    databasePort: foundation.database.port,
    databaseSecretRef: foundation.database.secretRef,
    cacheHost: foundation.cache.host,
    cachePort: foundation.cache.port,
    imageRef: foundation.image.ref,
    registryUrl: foundation.image.registryUrl,
    backupBucket: foundation.backups.bucket,
    namespace: platform.namespace,
    apiUrl: platform.apiUrl,
    ingressHostname: platform.ingressHostname,
    gateway: platform.gateway,
    workloadIdentity: foundation.workloadIdentity,
    tenantNamespaces: platform.tenantNamespaces,
    rpoMinutes: operations.rpoMinutes,
    rtoMinutes: operations.rtoMinutes,
    backupSchedule: operations.backupSchedule,
};
const exported = Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, platformOutputs[name as keyof PlatformOutputs].secret ? pulumi.secret(value) : pulumi.output(value)])) as {
    [K in keyof PlatformOutputs]: pulumi.Output<PlatformOutputs[K]>;
};

export const {
    contractVersion,
    cloud,
    environment,
    region,
    vpcId,
    privateSubnetIds,
    clusterName,
    kubeconfig,
    databaseHost,
    databasePort,
    databaseSecretRef,
    cacheHost,
    cachePort,
    imageRef,
    registryUrl,
    backupBucket,
    namespace,
    apiUrl,
    ingressHostname,
    gateway,
    workloadIdentity,
    tenantNamespaces,
    rpoMinutes,
    rtoMinutes,
    backupSchedule,
} = exported;
