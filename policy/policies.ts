import type { EnforcementLevel, Policies } from "@pulumi/policy";
import type { PolicyDefinition } from "./lib/define";
import { costPolicies } from "./rules/cost";
import * as compute from "./rules/compute";
import * as data from "./rules/data";
import * as governance from "./rules/governance";
import * as identity from "./rules/identity";
import * as gateway from "./rules/kubernetes/gateway";
import * as llmGateway from "./rules/kubernetes/llmGateway";
import * as kubernetesNetwork from "./rules/kubernetes/network";
import * as tenants from "./rules/kubernetes/tenants";
import * as workloads from "./rules/kubernetes/workloads";
import * as network from "./rules/network";
import * as storage from "./rules/storage";

/**
 * The pack's policies, apart from the `PolicyPack` that serves them: `index.ts` hands `policies` to
 * the pack, while tests and the offline plan run them through `evaluate.ts`.
 */

export const packName = "ai-platform-security";

/**
 * The level of every policy unless the pack config (`policy/config/<env>.json`) says otherwise:
 * prod's strictness is the default, and staging's config relaxes what the seeds allow.
 */
export const packEnforcementLevel: EnforcementLevel = "mandatory";

/**
 * Every policy with its catalogue data (category, resources, checks, seed item) for the docs. The
 * rule files are split by service (network, compute, data, storage, identity, Kubernetes); this
 * list is the one place that orders them: by platform, AWS, then GCP, then Kubernetes, then the
 * cross-cloud budget. The order is what the docs table and the plan's policy report follow, so a
 * new policy goes where its platform's readers will look for it.
 */
export const definitions: PolicyDefinition[] = [
    // AWS
    data.rdsStorageEncrypted,
    data.rdsNotPublic,
    data.rdsForceSsl,
    data.rdsMultiAz,
    data.rdsBackupRetention,
    data.rdsPointInTimeRecovery,
    data.rdsDeletionProtection,
    data.rdsFinalSnapshot,
    data.elasticacheAtRest,
    data.elasticacheInTransit,
    data.elasticacheAuth,
    data.elasticacheHighAvailability,
    data.elasticacheBackups,
    storage.s3PublicAccessBlock,
    storage.s3Encryption,
    storage.s3TlsOnly,
    storage.s3Versioning,
    storage.s3ObjectLock,
    storage.s3Replication,
    storage.ebsEncrypted,
    identity.awsCustomerManagedKeys,
    compute.imdsv2,
    compute.eksSecretsEncryption,
    compute.eksDeletionProtection,
    compute.eksApiNotPublic,
    compute.eksPrivateEndpoint,
    compute.eksPrivateNodes,
    compute.eksAuditLogs,
    compute.eksSupportedVersion,
    identity.eksIrsa,
    identity.eksNodeRoleEcrReadOnly,
    compute.eksNodeGroupMultiAz,
    compute.eksNodeAutoscaling,
    storage.ecrImmutableTags,
    storage.ecrScanOnPush,
    network.securityGroupNoPublicIngress,
    network.vpcFlowLogs,
    storage.logGroupRetention,
    identity.awsKmsKeyRotation,
    governance.awsProtectStateful,
    governance.awsRequiredTags,
    // GCP
    data.sqlNoPublicIp,
    data.sqlSslRequired,
    data.sqlHighAvailability,
    data.sqlBackups,
    data.sqlPointInTimeRecovery,
    data.sqlDeletionProtection,
    data.redisHighAvailability,
    data.redisInTransit,
    data.redisAuth,
    data.redisPersistence,
    compute.gkeSecretsEncryption,
    compute.gkeDeletionProtection,
    compute.gkePrivateNodes,
    compute.gkeApiNotPublic,
    identity.gkeWorkloadIdentity,
    compute.gkeShieldedNodes,
    compute.gkeNetworkPolicy,
    compute.gkeNodeAutoRepairUpgrade,
    compute.gkeSupportedVersion,
    identity.gkeNodeServiceAccount,
    compute.gkeContainerdImage,
    compute.gkeNoLegacyAbac,
    compute.gkeNoClientCertificates,
    compute.gkeBinaryAuthorization,
    compute.gkeLogging,
    compute.gkeMultiZone,
    compute.gkeNodeAutoscaling,
    storage.storagePublicAccessPrevention,
    storage.storageVersioning,
    storage.storageRetentionPolicy,
    storage.storageMultiRegion,
    identity.gcpCustomerManagedKeys,
    storage.artifactRegistryImmutableTags,
    network.firewallNoPublicIngress,
    network.subnetFlowLogs,
    storage.logBucketRetention,
    identity.gcpKmsKeyRotation,
    governance.gcpProtectStateful,
    // Kubernetes
    governance.gcpRequiredLabels,
    workloads.runAsNonRoot,
    workloads.noPrivilegeEscalation,
    workloads.dropAllCapabilities,
    workloads.readOnlyRootFilesystem,
    workloads.seccompRuntimeDefault,
    workloads.noHostAccess,
    workloads.resourceRequestsLimits,
    workloads.probes,
    workloads.imagePinned,
    workloads.noPlaintextSecrets,
    workloads.dedicatedServiceAccount,
    workloads.noDefaultNamespace,
    kubernetesNetwork.serviceExposure,
    kubernetesNetwork.ingressTls,
    kubernetesNetwork.ingressRateLimit,
    kubernetesNetwork.networkPolicyScope,
    governance.kubernetesRequiredLabels,
    workloads.helmReleasePinned,
    gateway.noRetiredSoftware,
    gateway.gatewayListeners,
    gateway.routesOnHttps,
    gateway.routeTimeouts,
    tenants.tenantNamespaceIsolation,
    tenants.tenantRoutes,
    llmGateway.providerKeysInGateway,
    llmGateway.backendTls,
    llmGateway.callerHeader,
    llmGateway.internetEgressThroughGateway,
    workloads.minReplicas,
    workloads.pdbAndHpa,
    kubernetesNetwork.defaultDenyNetworkPolicy,
    workloads.noAutomountToken,
    // every cloud
    ...costPolicies,
];

export const policies: Policies = definitions.map((d) => d.policy);

const duplicates = policies.map((p) => p.name).filter((name, i, all) => all.indexOf(name) !== i);
if (duplicates.length > 0) throw new Error(`duplicate policy names: ${duplicates.join(", ")}`);
