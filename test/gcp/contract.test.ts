import * as path from "path";
import { runProgram, type ProgramRun } from "../../tools/engine/harness";
import { gcpConfig, prebuiltDigestRef } from "./gcpStack";

/** What the GCP foundation hands the cloud-neutral layers, read field by field from a prod run. */
let run: ProgramRun;
const out = (name: string) => run.outputs[name];

beforeAll(async () => {
    run = await runProgram({ stack: "prod", config: { ...gcpConfig, "ai-platform:image.ref": prebuiltDigestRef }, program: path.join(__dirname, "fixtures", "contractProgram.ts") });
});

test("network: the VPC network ID, the one subnetwork, the primary CIDR", () => {
    expect(out("networkId").value).toBe(run.one("gcp:compute/network:Network").state.id);
    expect(out("privateSubnetIds").value).toEqual([run.one("gcp:compute/subnetwork:Subnetwork").state.id]);
    expect(out("networkCidr").value).toBe("10.0.0.0/16");
});

test("cluster: the provider built from the cluster's kubeconfig, ready once the node pool is", () => {
    const provider = run.one("pulumi:providers:kubernetes");
    expect(out("providerUrn").value).toBe(provider.urn);
    expect(out("kubeconfig")).toEqual({ value: provider.inputs.kubeconfig, secret: true });
    expect(out("readyResourceUrns").value).toEqual([run.one("gcp:container/nodePool:NodePool").urn]);
    expect(out("clusterName").value).toBe("ai-platform-prod");
});

test("database: private address, Postgres port, names, the password as a secret equal to what Secret Manager holds", () => {
    expect(out("databaseHost").value).toBe(run.one("gcp:sql/databaseInstance:DatabaseInstance").state.privateIpAddress);
    expect(out("databasePort").value).toBe(5432);
    expect(out("databaseName").value).toBe("agents");
    expect(out("databaseUsername").value).toBe("agents_app");
    expect(out("databasePassword")).toEqual({ value: run.one("gcp:secretmanager/secretVersion:SecretVersion").inputs.secretData, secret: true });
    expect(out("databaseSecretRef").value).toMatch(/^projects\/acme-agents\/secrets\/ai-platform-prod-db-password$/);
});

test("cache: TLS with Memorystore's own CA, the AUTH string as a secret", () => {
    const redis = run.one("gcp:redis/instance:Instance");
    expect(out("cacheHost").value).toBe(redis.state.host);
    expect(out("cachePort").value).toBe(redis.state.port);
    expect(out("cacheTls").value).toBe(true);
    expect(out("cacheAuthToken")).toEqual({ value: redis.state.authString, secret: true });
    expect(out("cacheCaCertificate").value).toBe(redis.state.serverCaCerts[0].cert);
    expect(out("cacheCaCertificate").value).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
});

test("image: the digest-pinned reference", () => {
    expect(out("imageRef").value).toBe(prebuiltDigestRef);
});

test("backups: gs:// URL, a pinned google-cloud-cli stable image, a gcloud storage streaming upload", () => {
    expect(out("backupsBucket").value).toBe("acme-agents-ai-platform-prod-backups");
    expect(out("backupsUrl").value).toBe("gs://acme-agents-ai-platform-prod-backups");
    expect(out("backupsUploaderImage").value).toMatch(/^gcr\.io\/google\.com\/cloudsdktool\/google-cloud-cli:\d+\.\d+\.\d+-stable$/);
    expect(out("backupsUploadCommand").value).toBe('gcloud storage cp - "gs://acme-agents-ai-platform-prod-backups/$BACKUP_OBJECT"');
});

test("identity: Workload Identity annotations naming each role's Google service account", () => {
    expect(out("identityApp").value).toEqual({ "iam.gke.io/gcp-service-account": "ai-platform-prod-app@acme-agents.iam.gserviceaccount.com" });
    expect(out("identityBackup").value).toEqual({ "iam.gke.io/gcp-service-account": "ai-platform-prod-backup@acme-agents.iam.gserviceaccount.com" });
});

test("addons: GKE brings metrics-server, the autoscaler and logging; PD CSI's standard-rwo class", () => {
    expect(out("addons").value).toEqual({ ingressServiceAnnotations: {}, providesMetricsServer: true, storageClass: "standard-rwo", extraReleases: [] });
});
