import { runProgram, type ProgramRun, type RecordedResource } from "../../tools/engine/harness";
import { mockProjectNumber } from "../../tools/engine/mocks/gcp";
import { at, expectedLabels, gcpConfig, prebuiltDigestRef, prebuiltTaggedRef } from "./gcpStack";
import { environmentDefaults } from "../../stacks";

/**
 * The GCP foundation as the real program declares it for both example stacks: one run per stack,
 * shared by every test below.
 */
let prod: ProgramRun;
let staging: ProgramRun;

beforeAll(async () => {
    prod = await runProgram({ stack: "prod", config: { ...gcpConfig, "ai-platform:image.ref": prebuiltDigestRef } });
    staging = await runProgram({ stack: "staging", config: { ...gcpConfig, "ai-platform:image.ref": prebuiltTaggedRef } });
});

const environments = ["prod", "staging"] as const;
const runOf = (env: (typeof environments)[number]) => (env === "prod" ? prod : staging);

const network = (run: ProgramRun) => run.one("gcp:compute/network:Network");
const subnet = (run: ProgramRun) => run.one("gcp:compute/subnetwork:Subnetwork");
const cluster = (run: ProgramRun) => run.one("gcp:container/cluster:Cluster");
const pool = (run: ProgramRun) => run.one("gcp:container/nodePool:NodePool");
const sql = (run: ProgramRun) => run.one("gcp:sql/databaseInstance:DatabaseInstance");
const redis = (run: ProgramRun) => run.one("gcp:redis/instance:Instance");
const bucket = (run: ProgramRun) => run.one("gcp:storage/bucket:Bucket");
const repo = (run: ProgramRun) => run.one("gcp:artifactregistry/repository:Repository");
const key = (run: ProgramRun, purpose: string) => run.one("gcp:kms/cryptoKey:CryptoKey", new RegExp(`-${purpose}$`));
const firewall = (run: ProgramRun, suffix: string) => run.one("gcp:compute/firewall:Firewall", new RegExp(`-${suffix}$`));
const account = (run: ProgramRun, accountId: string) => run.ofType("gcp:serviceaccount/account:Account").find((a) => a.inputs.accountId === accountId)!;
const emailOf = (a: RecordedResource) => a.state.email as string;

describe("network", () => {
    test.each(environments)("%s: a custom-mode VPC with one regional subnetwork, pod and service ranges, Private Google Access and flow logs", (env) => {
        const run = runOf(env);
        expect(network(run).inputs.autoCreateSubnetworks).toBe(false);
        const s = subnet(run);
        expect(s.inputs).toMatchObject({ region: "us-central1", ipCidrRange: "10.0.0.0/16", privateIpGoogleAccess: true, network: network(run).state.id });
        expect(s.inputs.secondaryIpRanges).toEqual([
            { rangeName: "pods", ipCidrRange: "10.16.0.0/14" },
            { rangeName: "services", ipCidrRange: "10.20.0.0/20" },
        ]);
        expect(s.inputs.logConfig).toMatchObject({ aggregationInterval: expect.any(String), flowSampling: expect.any(Number), metadata: "INCLUDE_ALL_METADATA" });
        expect(s.inputs.logConfig.flowSampling).toBeGreaterThan(0);
    });

    test.each(environments)("%s: egress through a Cloud Router's NAT for the subnetwork, with logging", (env) => {
        const run = runOf(env);
        const router = run.one("gcp:compute/router:Router");
        const nat = run.one("gcp:compute/routerNat:RouterNat");
        expect(router.inputs).toMatchObject({ network: network(run).state.id, region: "us-central1" });
        expect(nat.inputs).toMatchObject({ router: router.inputs.name, region: "us-central1", natIpAllocateOption: "AUTO_ONLY", sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS" });
        expect(nat.inputs.subnetworks).toEqual([{ name: subnet(run).state.id, sourceIpRangesToNats: ["ALL_IP_RANGES"] }]);
        expect(nat.inputs.logConfig.enable).toBe(true);
        expect(["ERRORS_ONLY", "ALL"]).toContain(nat.inputs.logConfig.filter);
    });

    test.each(environments)("%s: private services access from network.privateServicesCidr, peered through servicenetworking", (env) => {
        const run = runOf(env);
        const range = run.one("gcp:compute/globalAddress:GlobalAddress");
        expect(range.inputs).toMatchObject({ purpose: "VPC_PEERING", addressType: "INTERNAL", address: "10.24.0.0", prefixLength: 16, network: network(run).state.id });
        const peering = run.one("gcp:servicenetworking/connection:Connection");
        expect(peering.inputs).toMatchObject({ network: network(run).state.id, service: "servicenetworking.googleapis.com", reservedPeeringRanges: [range.inputs.name] });
    });

    test.each(environments)("%s: ingress is denied by default, allowed only inside the network and from Google health checks to the nodes", (env) => {
        const run = runOf(env);
        const deny = firewall(run, "deny-all-ingress");
        expect(deny.inputs).toMatchObject({ direction: "INGRESS", priority: 65534, sourceRanges: ["0.0.0.0/0"], denies: [{ protocol: "all" }] });
        expect(deny.inputs.allows ?? []).toEqual([]);

        const internal = firewall(run, "allow-internal");
        expect(internal.inputs.sourceRanges).toEqual(["10.0.0.0/16", "10.16.0.0/14"]);

        const health = firewall(run, "allow-health-checks");
        expect(health.inputs.sourceRanges.sort()).toEqual(["130.211.0.0/22", "35.191.0.0/16"]);
        expect(health.inputs.targetTags).toEqual(at(pool(run), "nodeConfig.tags"));
        expect(health.inputs.allows).toEqual([{ protocol: "tcp", ports: ["10256", "30000-32767"] }]);

        for (const rule of run.ofType("gcp:compute/firewall:Firewall")) {
            expect(rule.inputs.network).toBe(network(run).state.id);
            if (rule.inputs.allows?.length) expect(rule.inputs.sourceRanges).not.toContain("0.0.0.0/0");
            if (rule.inputs.direction === "INGRESS" && rule.inputs.allows?.length) expect(rule.inputs.priority).toBeLessThan(deny.inputs.priority);
        }
    });
});

describe("cluster", () => {
    test.each(environments)("%s: regional, default pool removed, one separate autoscaling pool with surge upgrades", (env) => {
        const run = runOf(env);
        const c = cluster(run);
        expect(c.inputs).toMatchObject({ location: "us-central1", removeDefaultNodePool: true, initialNodeCount: 1, network: network(run).state.id, subnetwork: subnet(run).state.id });
        expect(c.inputs.ipAllocationPolicy).toEqual({ clusterSecondaryRangeName: "pods", servicesSecondaryRangeName: "services" });
        expect(run.ofType("gcp:container/nodePool:NodePool")).toHaveLength(1);
        const p = pool(run);
        expect(p.inputs).toMatchObject({ cluster: c.state.name, location: "us-central1" });
        expect(p.inputs.autoscaling).toMatchObject(env === "prod" ? { totalMinNodeCount: 2, totalMaxNodeCount: 10 } : { totalMinNodeCount: 1, totalMaxNodeCount: 4 });
        expect(p.inputs.management).toEqual({ autoRepair: true, autoUpgrade: true });
        expect(p.inputs.upgradeSettings).toMatchObject({ maxSurge: 1, maxUnavailable: 0 });
        expect(p.options.ignoreChanges).toContain("initialNodeCount");
    });

    test("prod runs n2-standard-4 nodes, staging smaller ones", () => {
        expect(at(pool(prod), "nodeConfig.machineType")).toBe("n2-standard-4");
        expect(at(pool(staging), "nodeConfig.machineType")).toBe("e2-custom-2-6144");
        expect(at(pool(prod), "nodeConfig.diskSizeGb")).toBeGreaterThan(at(pool(staging), "nodeConfig.diskSizeGb"));
    });

    test.each(environments)("%s: nodes are shielded COS_CONTAINERD VMs behind the GKE metadata server", (env) => {
        const run = runOf(env);
        for (const nodeConfig of [at(pool(run), "nodeConfig"), at(cluster(run), "nodeConfig")]) {
            expect(nodeConfig).toMatchObject({
                imageType: "COS_CONTAINERD",
                shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
                workloadMetadataConfig: { mode: "GKE_METADATA" },
            });
        }
        expect(cluster(run).inputs.enableShieldedNodes).toBe(true);
    });

    test.each(environments)("%s: private nodes, control plane reachable only from cluster.publicAccessCidrs", (env) => {
        const run = runOf(env);
        const c = cluster(run);
        expect(c.inputs.privateClusterConfig.enablePrivateNodes).toBe(true);
        expect(c.inputs.masterAuthorizedNetworksConfig.cidrBlocks.map((b: any) => b.cidrBlock)).toEqual(["203.0.113.0/24"]);
        expect(c.inputs.masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled).toBe(false);
    });

    test.each(environments)("%s: Workload Identity, Dataplane V2, Binary Authorization, no ABAC, no client certificate", (env) => {
        const run = runOf(env);
        expect(cluster(run).inputs).toMatchObject({
            workloadIdentityConfig: { workloadPool: "acme-agents.svc.id.goog" },
            datapathProvider: "ADVANCED_DATAPATH",
            binaryAuthorization: { evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE" },
            enableLegacyAbac: false,
            masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
        });
    });

    test.each(environments)("%s: Secrets encrypted with a Cloud KMS key the GKE service agent may use", (env) => {
        const run = runOf(env);
        const secretsKey = key(run, "gke-secrets");
        expect(cluster(run).inputs.databaseEncryption).toEqual({ state: "ENCRYPTED", keyName: secretsKey.state.id });
        const grant = run.ofType("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember").find((g) => g.inputs.cryptoKeyId === secretsKey.state.id)!;
        expect(grant.inputs).toMatchObject({
            role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
            member: `serviceAccount:service-${mockProjectNumber}@container-engine-robot.iam.gserviceaccount.com`,
        });
        expect(run.dependsOn(cluster(run), grant)).toBe(true);
    });

    test.each(environments)("%s: logs and metrics of system components and workloads, release channel, daily maintenance window", (env) => {
        const run = runOf(env);
        const c = cluster(run);
        expect(c.inputs.loggingConfig.enableComponents).toEqual(expect.arrayContaining(["SYSTEM_COMPONENTS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER", "WORKLOADS"]));
        expect(c.inputs.monitoringConfig.enableComponents).toEqual(expect.arrayContaining(["SYSTEM_COMPONENTS", "POD", "DEPLOYMENT"]));
        expect(c.inputs.releaseChannel).toEqual({ channel: env === "prod" ? "STABLE" : "REGULAR" });
        expect(c.inputs.maintenancePolicy).toEqual({ dailyMaintenanceWindow: { startTime: "03:00" } });
        expect(c.inputs.minMasterVersion).toBe(environmentDefaults[env].cluster.kubernetesVersion);
    });

    test.each(environments)("%s: GKE's own Gateway API CRDs stay off, so Envoy Gateway's CRD release is their one owner", (env) => {
        expect(cluster(runOf(env)).inputs.gatewayApiConfig).toEqual({ channel: "CHANNEL_DISABLED" });
    });

    test.each(environments)("%s: boot disks under a Cloud KMS key the GKE and Compute Engine service agents may use, granted before any node exists", (env) => {
        const run = runOf(env);
        const nodesKey = key(run, "gke-nodes");
        expect(pool(run).inputs.nodeConfig.bootDiskKmsKey).toBe(nodesKey.state.id);
        // The default pool, created with the cluster and removed after, would boot from the same key.
        expect(cluster(run).inputs.nodeConfig.bootDiskKmsKey).toBe(nodesKey.state.id);
        const grants = run.ofType("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember").filter((g) => g.inputs.cryptoKeyId === nodesKey.state.id);
        expect(grants.map((g) => g.inputs.member).sort()).toEqual([
            `serviceAccount:service-${mockProjectNumber}@compute-system.iam.gserviceaccount.com`,
            `serviceAccount:service-${mockProjectNumber}@container-engine-robot.iam.gserviceaccount.com`,
        ]);
        for (const g of grants) {
            expect(g.inputs.role).toBe("roles/cloudkms.cryptoKeyEncrypterDecrypter");
            expect(run.dependsOn(pool(run), g)).toBe(true);
            expect(run.dependsOn(cluster(run), g)).toBe(true);
        }
        const ring = run.ofType("gcp:kms/keyRing:KeyRing").find((r) => run.dependsOn(nodesKey, r))!;
        expect(ring.inputs.location).toBe("us-central1");
    });

    test("deletion protection on the prod cluster only", () => {
        expect(cluster(prod).inputs.deletionProtection).toBe(true);
        expect(cluster(staging).inputs.deletionProtection).toBe(false);
    });

    test.each(environments)("%s: nodes run as a dedicated service account with exactly the least-privilege roles", (env) => {
        const run = runOf(env);
        const nodes = account(run, `ai-platform-${env}-nodes`);
        expect(nodes).toBeDefined();
        expect(at(pool(run), "nodeConfig.serviceAccount")).toBe(emailOf(nodes));
        expect(at(cluster(run), "nodeConfig.serviceAccount")).toBe(emailOf(nodes));
        const roles = run
            .ofType("gcp:projects/iAMMember:IAMMember")
            .filter((m) => m.inputs.member === `serviceAccount:${emailOf(nodes)}`)
            .map((m) => m.inputs.role);
        expect(roles.sort()).toEqual(
            ["roles/artifactregistry.reader", "roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/monitoring.viewer", "roles/stackdriver.resourceMetadata.writer"].sort(),
        );
        for (const binding of run.ofType("gcp:projects/iAMMember:IAMMember").filter((m) => m.inputs.member === `serviceAccount:${emailOf(nodes)}`)) {
            expect(run.dependsOn(pool(run), binding)).toBe(true);
        }
    });

    test.each(environments)("%s: only the node pool waits for Cloud NAT; the control plane starts without it", (env) => {
        const run = runOf(env);
        const nat = run.one("gcp:compute/routerNat:RouterNat");
        expect(run.dependsOn(pool(run), nat)).toBe(true);
        expect(run.dependsOn(cluster(run), nat)).toBe(false);
    });

    test.each(environments)("%s: the Kubernetes provider authenticates through gke-gcloud-auth-plugin, its kubeconfig a secret", (env) => {
        const run = runOf(env);
        const provider = run.one("pulumi:providers:kubernetes");
        expect(provider.secretPaths).toContain("kubeconfig");
        const kubeconfig = provider.inputs.kubeconfig as string;
        expect(kubeconfig).toContain("command: gke-gcloud-auth-plugin");
        expect(kubeconfig).toContain(`server: https://${cluster(run).state.endpoint}`);
        expect(kubeconfig).toContain(cluster(run).state.masterAuth.clusterCaCertificate);
        expect(kubeconfig).not.toMatch(/token:|password:|client-key-data/);
        expect(run.outputs.kubeconfig).toEqual({ value: kubeconfig, secret: true });
    });
});

describe("database", () => {
    test.each(environments)("%s: Cloud SQL Postgres on a private IP only, TLS required, after the peering", (env) => {
        const run = runOf(env);
        const db = sql(run);
        expect(db.inputs.databaseVersion).toBe("POSTGRES_16");
        expect(at(db, "settings.ipConfiguration")).toMatchObject({
            ipv4Enabled: false,
            privateNetwork: network(run).state.id,
            allocatedIpRange: run.one("gcp:compute/globalAddress:GlobalAddress").inputs.name,
            sslMode: "ENCRYPTED_ONLY",
        });
        expect(run.dependsOn(db, run.one("gcp:servicenetworking/connection:Connection"))).toBe(true);
        expect(at(db, "settings.edition")).toBe("ENTERPRISE");
        expect(at(db, "settings.insightsConfig.queryInsightsEnabled")).toBe(true);
        expect(at(db, "settings.diskAutoresize")).toBe(true);
        expect(at(db, "settings.backupConfiguration")).toMatchObject({ enabled: true, startTime: "03:00", pointInTimeRecoveryEnabled: true });
    });

    test("prod: regional HA, 30 retained backups kept in the US multi-region, deletion protection in Pulumi and the API", () => {
        const db = sql(prod);
        expect(at(db, "settings.availabilityType")).toBe("REGIONAL");
        expect(at(db, "settings.tier")).toBe("db-custom-4-16384");
        expect(at(db, "settings.diskSize")).toBe(100);
        expect(at(db, "settings.diskAutoresizeLimit")).toBe(500);
        expect(at(db, "settings.backupConfiguration.backupRetentionSettings")).toEqual({ retainedBackups: 30, retentionUnit: "COUNT" });
        expect(at(db, "settings.backupConfiguration.location")).toBe("us");
        expect(db.inputs.deletionProtection).toBe(true);
        expect(at(db, "settings.deletionProtectionEnabled")).toBe(true);
    });

    test("staging: zonal, fewer backups, no cross-region copy, no deletion protection", () => {
        const db = sql(staging);
        expect(at(db, "settings.availabilityType")).toBe("ZONAL");
        expect(at(db, "settings.tier")).toBe("db-custom-1-3840");
        expect(at(db, "settings.backupConfiguration.backupRetentionSettings.retainedBackups")).toBe(7);
        expect(at(db, "settings.backupConfiguration.location")).toBeUndefined();
        expect(db.inputs.deletionProtection).toBe(false);
        expect(at(db, "settings.deletionProtectionEnabled")).toBe(false);
    });

    test.each(environments)("%s: the app's database and user; the generated password only as a secret, kept in Secret Manager", (env) => {
        const run = runOf(env);
        const password = run.one("random:index/randomPassword:RandomPassword", "ai-platform-database-password").state.result as string;
        expect(run.one("gcp:sql/database:Database").inputs).toMatchObject({ name: "agents", instance: sql(run).state.name });
        const user = run.one("gcp:sql/user:User");
        expect(user.inputs).toMatchObject({ name: "agents_app", instance: sql(run).state.name, password });
        expect(user.secretPaths).toContain("password");

        const secret = run.one("gcp:secretmanager/secret:Secret");
        expect(secret.inputs.secretId).toBe(`ai-platform-${env}-db-password`);
        expect(secret.inputs.replication).toEqual({ auto: {} });
        const version = run.one("gcp:secretmanager/secretVersion:SecretVersion");
        expect(version.inputs).toMatchObject({ secret: secret.state.id, secretData: password });
        expect(version.secretPaths).toContain("secretData");
        expect(run.outputs.databaseSecretRef.value).toBe(secret.state.id);
        expect(run.outputs.databaseHost.value).toBe(sql(run).state.privateIpAddress);
        expect(run.outputs.databasePort.value).toBe(5432);
    });
});

describe("cache", () => {
    test.each(environments)("%s: Memorystore Redis 7 on private services access, AUTH and TLS, with a maintenance window", (env) => {
        const run = runOf(env);
        const r = redis(run);
        expect(r.inputs).toMatchObject({
            region: "us-central1",
            redisVersion: "REDIS_7_2",
            connectMode: "PRIVATE_SERVICE_ACCESS",
            authorizedNetwork: network(run).state.id,
            reservedIpRange: run.one("gcp:compute/globalAddress:GlobalAddress").inputs.name,
            authEnabled: true,
            transitEncryptionMode: "SERVER_AUTHENTICATION",
        });
        expect(r.inputs.maintenancePolicy.weeklyMaintenanceWindows).toEqual([{ day: "SUNDAY", startTime: { hours: 3, minutes: 0 } }]);
        expect(run.dependsOn(r, run.one("gcp:servicenetworking/connection:Connection"))).toBe(true);
        expect(run.outputs.cacheHost.value).toBe(r.state.host);
        // The TLS port Memorystore reports, not a configured constant.
        expect(run.outputs.cachePort.value).toBe(6378);
    });

    test("prod: STANDARD_HA with 5 GB, replicas and RDB snapshots; staging: BASIC, smaller, no persistence", () => {
        expect(redis(prod).inputs).toMatchObject({ tier: "STANDARD_HA", memorySizeGb: 5, replicaCount: 2, readReplicasMode: "READ_REPLICAS_ENABLED" });
        expect(redis(prod).inputs.persistenceConfig).toMatchObject({ persistenceMode: "RDB", rdbSnapshotPeriod: expect.any(String) });
        expect(redis(staging).inputs).toMatchObject({ tier: "BASIC", memorySizeGb: 1 });
        expect(redis(staging).inputs.replicaCount).toBeUndefined();
        expect(redis(staging).inputs.persistenceConfig).toEqual({ persistenceMode: "DISABLED" });
    });
});

describe("registry and image", () => {
    test.each(environments)("%s: a Docker repository with immutable tags, CMEK and a cleanup that keeps image.keepImages", (env) => {
        const run = runOf(env);
        const r = repo(run);
        const registryKey = key(run, "registry");
        expect(r.inputs).toMatchObject({
            format: "DOCKER",
            location: "us-central1",
            repositoryId: `ai-platform-${env}`,
            dockerConfig: { immutableTags: true },
            kmsKeyName: registryKey.state.id,
            cleanupPolicyDryRun: false,
        });
        const keep = r.inputs.cleanupPolicies.find((p: any) => p.action === "KEEP");
        expect(keep.mostRecentVersions.keepCount).toBe(env === "prod" ? 50 : 20);
        expect(r.inputs.cleanupPolicies.some((p: any) => p.action === "DELETE")).toBe(true);
        const grant = run.ofType("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember").find((g) => g.inputs.cryptoKeyId === registryKey.state.id)!;
        expect(grant.inputs.member).toBe(`serviceAccount:service-${mockProjectNumber}@gcp-sa-artifactregistry.iam.gserviceaccount.com`);
        expect(run.dependsOn(r, grant)).toBe(true);
    });

    test("a digest-pinned image.ref is used as is, a tagged one is pinned to its digest", () => {
        expect(prod.outputs.imageRef.value).toBe(prebuiltDigestRef);
        expect(staging.outputs.imageRef.value).toMatch(/^us-central1-docker\.pkg\.dev\/acme-agents\/ai-platform-staging\/ai-agent@sha256:[a-f0-9]{64}$/);
        expect(prod.ofType("docker:index/image:Image")).toHaveLength(0);
    });
});

describe("backups bucket", () => {
    test.each(environments)("%s: private, CMEK-encrypted with a key where the bucket lives, deleting after backup.retentionDays", (env) => {
        const run = runOf(env);
        const b = bucket(run);
        const backupsKey = key(run, "backups");
        expect(b.inputs).toMatchObject({
            name: `acme-agents-ai-platform-${env}-backups`,
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
            encryption: { defaultKmsKeyName: backupsKey.state.id },
        });
        const days = env === "prod" ? 30 : 7;
        expect(b.inputs.lifecycleRules).toContainEqual({ action: { type: "Delete" }, condition: expect.objectContaining({ age: days }) });
        const grant = run.ofType("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember").find((g) => g.inputs.cryptoKeyId === backupsKey.state.id)!;
        expect(grant.inputs.member).toBe(`serviceAccount:service-${mockProjectNumber}@gs-project-accounts.iam.gserviceaccount.com`);
        expect(run.dependsOn(b, grant)).toBe(true);
        expect(run.outputs.backupBucket.value).toBe(b.inputs.name);
        // A CMEK key must live in the bucket's location: the multi-region's Cloud KMS location, or the region.
        const ring = run.ofType("gcp:kms/keyRing:KeyRing").find((r) => run.dependsOn(backupsKey, r))!;
        expect(ring.inputs.location).toBe(env === "prod" ? "us" : "us-central1");
        expect(b.inputs.location).toBe(env === "prod" ? "US" : "US-CENTRAL1");
    });

    test("prod: dumps survive the region (US multi-region) and are locked for their retention; no versioning, which Cloud Storage refuses beside a retention policy", () => {
        const b = bucket(prod);
        expect(b.inputs).toMatchObject({ location: "US", retentionPolicy: { retentionPeriod: String(30 * 86400), isLocked: true }, versioning: { enabled: false }, forceDestroy: false });
        expect(b.inputs.lifecycleRules).toEqual([{ action: { type: "Delete" }, condition: { age: 30, withState: "LIVE" } }]);
        // Every other key stays in the region: only the dumps' key moved with the bucket.
        const regional = prod.ofType("gcp:kms/cryptoKey:CryptoKey").filter((k) => !k.name.endsWith("-backups"));
        expect(regional.map((k) => k.inputs.name).sort()).toEqual(["gke-nodes", "gke-secrets", "registry"]);
    });

    test("staging: regional, versioned, deletable (no retention policy, force-destroy)", () => {
        const b = bucket(staging);
        expect(b.inputs).toMatchObject({ location: "US-CENTRAL1", versioning: { enabled: true }, forceDestroy: true });
        expect(b.inputs.retentionPolicy).toBeUndefined();
        expect(b.inputs.lifecycleRules).toContainEqual({ action: { type: "Delete" }, condition: expect.objectContaining({ numNewerVersions: 3 }) });
    });

    test.each(environments)("%s: KMS keys rotate", (env) => {
        const run = runOf(env);
        for (const k of run.ofType("gcp:kms/cryptoKey:CryptoKey")) expect(k.inputs).toMatchObject({ purpose: "ENCRYPT_DECRYPT", rotationPeriod: "7776000s" });
    });
});

describe("workload identity", () => {
    test.each(environments)("%s: API and worker act as the app account, the backup job as the backup account, once the cluster exists", (env) => {
        const run = runOf(env);
        const app = account(run, `ai-platform-${env}-app`);
        const backup = account(run, `ai-platform-${env}-backup`);
        const bindings = run.ofType("gcp:serviceaccount/iAMMember:IAMMember");
        const boundTo = (gsa: RecordedResource) =>
            bindings
                .filter((b) => b.inputs.serviceAccountId === gsa.state.name)
                .map((b) => {
                    expect(b.inputs.role).toBe("roles/iam.workloadIdentityUser");
                    expect(run.dependsOn(b, cluster(run))).toBe(true);
                    return b.inputs.member;
                })
                .sort();
        expect(boundTo(app)).toEqual(["serviceAccount:acme-agents.svc.id.goog[ai-agents/agent-api]", "serviceAccount:acme-agents.svc.id.goog[ai-agents/agent-worker]"]);
        expect(boundTo(backup)).toEqual(["serviceAccount:acme-agents.svc.id.goog[ai-agents/agent-backup]"]);
    });

    test.each(environments)("%s: least privilege: the secret accessor on the DB secret only, Cloud SQL client, object creator on the bucket only", (env) => {
        const run = runOf(env);
        const app = `serviceAccount:${emailOf(account(run, `ai-platform-${env}-app`))}`;
        const backup = `serviceAccount:${emailOf(account(run, `ai-platform-${env}-backup`))}`;
        const secretGrant = run.one("gcp:secretmanager/secretIamMember:SecretIamMember");
        expect(secretGrant.inputs).toEqual(expect.objectContaining({ secretId: run.one("gcp:secretmanager/secret:Secret").state.id, role: "roles/secretmanager.secretAccessor", member: app }));
        const bucketGrant = run.one("gcp:storage/bucketIAMMember:BucketIAMMember");
        expect(bucketGrant.inputs).toEqual(expect.objectContaining({ bucket: bucket(run).inputs.name, role: "roles/storage.objectCreator", member: backup }));
        const projectRoles = (member: string) =>
            run
                .ofType("gcp:projects/iAMMember:IAMMember")
                .filter((m) => m.inputs.member === member)
                .map((m) => m.inputs.role);
        expect(projectRoles(app)).toEqual(["roles/cloudsql.client"]);
        expect(projectRoles(backup)).toEqual([]);
    });
});

describe("data safety, labels and secrets", () => {
    const dataStores = ["gcp:sql/databaseInstance:DatabaseInstance", "gcp:redis/instance:Instance", "gcp:kms/keyRing:KeyRing", "gcp:kms/cryptoKey:CryptoKey", "gcp:storage/bucket:Bucket"];

    test("prod protects the database, cache, KMS key ring and keys, and bucket; staging does not", () => {
        for (const type of dataStores) {
            expect(prod.ofType(type).length).toBeGreaterThan(0);
            for (const r of prod.ofType(type)) expect({ name: r.name, protect: r.options.protect }).toEqual({ name: r.name, protect: true });
            for (const r of staging.ofType(type)) expect({ name: r.name, protect: r.options.protect }).toEqual({ name: r.name, protect: false });
        }
    });

    test("protectData decides it, not the environment: staging with it on protects exactly the data resources prod protects", async () => {
        expect(environmentDefaults.staging.protectData).toBe(false);
        expect(environmentDefaults.prod.protectData).toBe(true);
        const protectedStaging = await runProgram({ stack: "staging", config: { ...gcpConfig, "ai-platform:image.ref": prebuiltTaggedRef, "ai-platform:protectData": true } });
        const protectedTypes = (run: ProgramRun) => [...new Set(run.resources.filter((r) => r.options.protect).map((r) => r.type))].sort();
        // The application's database inside the instance is protected with it.
        const data = [...dataStores, "gcp:sql/database:Database"].sort();
        expect(protectedTypes(protectedStaging)).toEqual(data);
        expect(protectedTypes(prod)).toEqual(data);
        expect(protectedTypes(staging)).toEqual([]);
        for (const type of dataStores) {
            for (const r of protectedStaging.ofType(type)) expect({ name: r.name, protect: r.options.protect }).toEqual({ name: r.name, protect: true });
        }
        // Protected, the dumps bucket is not force-destroyed either.
        expect(bucket(protectedStaging).inputs.forceDestroy).toBe(false);
        expect(bucket(staging).inputs.forceDestroy).toBe(true);
    });

    /** Where each GCP resource type takes labels; types without labels are listed so new ones are not forgotten. */
    const labelPaths: Record<string, string> = {
        "gcp:compute/globalAddress:GlobalAddress": "labels",
        "gcp:kms/cryptoKey:CryptoKey": "labels",
        "gcp:container/cluster:Cluster": "resourceLabels",
        "gcp:container/nodePool:NodePool": "nodeConfig.resourceLabels",
        "gcp:sql/databaseInstance:DatabaseInstance": "settings.userLabels",
        "gcp:redis/instance:Instance": "labels",
        "gcp:artifactregistry/repository:Repository": "labels",
        "gcp:storage/bucket:Bucket": "labels",
        "gcp:secretmanager/secret:Secret": "labels",
    };
    const unlabelled = new Set([
        "gcp:projects/service:Service",
        "gcp:logging/projectBucketConfig:ProjectBucketConfig",
        "gcp:logging/projectSink:ProjectSink",
        "gcp:compute/network:Network",
        "gcp:compute/subnetwork:Subnetwork",
        "gcp:compute/router:Router",
        "gcp:compute/routerNat:RouterNat",
        "gcp:compute/firewall:Firewall",
        "gcp:servicenetworking/connection:Connection",
        "gcp:kms/keyRing:KeyRing",
        "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
        "gcp:serviceaccount/account:Account",
        "gcp:serviceaccount/iAMMember:IAMMember",
        "gcp:projects/iAMMember:IAMMember",
        "gcp:sql/database:Database",
        "gcp:sql/user:User",
        "gcp:secretmanager/secretVersion:SecretVersion",
        "gcp:secretmanager/secretIamMember:SecretIamMember",
        "gcp:storage/bucketIAMMember:BucketIAMMember",
    ]);

    test.each(environments)("%s: every labelled GCP resource carries the standard labels", (env) => {
        const run = runOf(env);
        for (const r of run.resources.filter((res) => res.custom && res.type.startsWith("gcp:"))) {
            if (unlabelled.has(r.type)) continue;
            expect({ type: r.type, known: r.type in labelPaths }).toEqual({ type: r.type, known: true });
            expect(at(r, labelPaths[r.type])).toEqual(expect.objectContaining(expectedLabels(env)));
        }
    });

    test.each(environments)("%s: no secret in a plain stack output", (env) => {
        const run = runOf(env);
        const secrets = [
            run.one("random:index/randomPassword:RandomPassword", "ai-platform-database-password").state.result,
            redis(run).state.authString,
            ...run.secretKeys.map((k) => run.config[k]),
        ].filter((s): s is string => typeof s === "string" && s.length > 0);
        expect(secrets.length).toBeGreaterThanOrEqual(3);
        for (const [name, output] of Object.entries(run.outputs)) {
            if (output.secret) continue;
            const text = JSON.stringify(output.value);
            for (const secret of secrets) expect({ name, leaks: text.includes(secret) }).toEqual({ name, leaks: false });
        }
    });

    test.each(environments)("%s: the APIs are enabled first and stay enabled on destroy", (env) => {
        const run = runOf(env);
        const services = run.ofType("gcp:projects/service:Service");
        expect(services.map((s) => s.inputs.service)).toEqual(
            expect.arrayContaining(["container.googleapis.com", "sqladmin.googleapis.com", "servicenetworking.googleapis.com", "redis.googleapis.com"]),
        );
        for (const s of services) expect(s.inputs.disableOnDestroy).toBe(false);
        const container = services.find((s) => s.inputs.service === "container.googleapis.com")!;
        for (const r of [cluster(run), pool(run), sql(run), redis(run), bucket(run), repo(run), network(run)])
            expect({ name: r.name, waits: run.dependsOn(r, container) }).toEqual({ name: r.name, waits: true });
    });
});
