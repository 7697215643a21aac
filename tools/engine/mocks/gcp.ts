import * as pulumi from "@pulumi/pulumi";
import { fakeHash } from "./common";
import type { CallMock, ResourceMock } from "./index";

/** The provider's project: the resource's own, else `gcp:project` as the real provider would default it. */
const projectOf = (inputs: Record<string, unknown>): string => (inputs.project as string | undefined) ?? pulumi.runtime.getConfig("gcp:project") ?? "mock-project";
const regionOf = (inputs: Record<string, unknown>): string =>
    (inputs.region as string | undefined) ?? (inputs.location as string | undefined) ?? pulumi.runtime.getConfig("gcp:region") ?? "us-central1";
export const mockProjectNumber = "123456789012";

/** A deterministic private address in 10.24.0.0/16 (the private services range) per name. */
const privateIp = (name: string) => `10.24.${parseInt(fakeHash(name, 2), 16)}.${(parseInt(fakeHash(`${name}-host`, 2), 16) % 250) + 2}`;

/** A PEM certificate body; real enough for consumers that only pass it along. */
export const mockPem = (seed: string) => `-----BEGIN CERTIFICATE-----\nMIIC${Buffer.from(fakeHash(seed)).toString("base64")}\n-----END CERTIFICATE-----\n`;

/** Outputs the gcp provider computes, for the resources the program reads back. */
export const gcpResources: Record<string, ResourceMock> = {
    "gcp:projects/service:Service": ({ inputs }) => ({ id: `${projectOf(inputs)}/${inputs.service}` }),
    "gcp:compute/network:Network": ({ inputs }) => {
        const id = `projects/${projectOf(inputs)}/global/networks/${inputs.name}`;
        return { id, selfLink: `https://www.googleapis.com/compute/v1/${id}`, gatewayIpv4: "" };
    },
    "gcp:compute/subnetwork:Subnetwork": ({ inputs }) => {
        const id = `projects/${projectOf(inputs)}/regions/${regionOf(inputs)}/subnetworks/${inputs.name}`;
        return { id, selfLink: `https://www.googleapis.com/compute/v1/${id}`, gatewayAddress: String(inputs.ipCidrRange).replace(/\.0\/\d+$/, ".1") };
    },
    "gcp:compute/router:Router": ({ inputs }) => ({ id: `projects/${projectOf(inputs)}/regions/${regionOf(inputs)}/routers/${inputs.name}` }),
    "gcp:compute/routerNat:RouterNat": ({ inputs }) => ({ id: `${projectOf(inputs)}/${regionOf(inputs)}/${inputs.router}/${inputs.name}` }),
    "gcp:compute/globalAddress:GlobalAddress": ({ inputs }) => ({ id: `projects/${projectOf(inputs)}/global/addresses/${inputs.name}` }),
    "gcp:compute/firewall:Firewall": ({ inputs }) => ({ id: `projects/${projectOf(inputs)}/global/firewalls/${inputs.name}` }),
    "gcp:servicenetworking/connection:Connection": ({ inputs }) => ({ id: `${inputs.network}:${inputs.service}`, peering: "servicenetworking-googleapis-com" }),
    "gcp:kms/keyRing:KeyRing": ({ inputs }) => ({ id: `projects/${projectOf(inputs)}/locations/${inputs.location}/keyRings/${inputs.name}` }),
    "gcp:kms/cryptoKey:CryptoKey": ({ inputs }) => ({
        id: `${inputs.keyRing}/cryptoKeys/${inputs.name}`,
        primaries: [{ name: `${inputs.keyRing}/cryptoKeys/${inputs.name}/cryptoKeyVersions/1`, state: "ENABLED" }],
    }),
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": ({ inputs }) => {
        const id = `projects/${projectOf(inputs)}/locations/${inputs.location}/buckets/${inputs.bucketId}`;
        return { id, name: id, lifecycleState: "ACTIVE" };
    },
    "gcp:logging/projectSink:ProjectSink": ({ inputs }) => ({ id: `projects/${projectOf(inputs)}/sinks/${inputs.name}`, writerIdentity: "serviceAccount:cloud-logs@system.gserviceaccount.com" }),
    "gcp:serviceaccount/account:Account": ({ inputs }) => {
        const email = `${inputs.accountId}@${projectOf(inputs)}.iam.gserviceaccount.com`;
        return {
            id: `projects/${projectOf(inputs)}/serviceAccounts/${email}`,
            name: `projects/${projectOf(inputs)}/serviceAccounts/${email}`,
            email,
            member: `serviceAccount:${email}`,
            uniqueId: fakeHash(email, 21).replace(/[a-f]/g, "1"),
        };
    },
    "gcp:container/cluster:Cluster": ({ inputs }) => {
        const id = `projects/${projectOf(inputs)}/locations/${inputs.location}/clusters/${inputs.name}`;
        return {
            id,
            selfLink: `https://container.googleapis.com/v1/${id}`,
            endpoint: `34.${parseInt(fakeHash(inputs.name, 2), 16)}.10.20`,
            masterAuth: { ...(inputs.masterAuth ?? {}), clusterCaCertificate: Buffer.from(mockPem(`${inputs.name}-ca`)).toString("base64") },
            masterVersion: `${inputs.minMasterVersion ?? "1.33"}.5-gke.1000000`,
            labelFingerprint: fakeHash(inputs.name, 8),
        };
    },
    "gcp:container/nodePool:NodePool": ({ name, inputs }) => ({
        id: `projects/${projectOf(inputs)}/locations/${inputs.location}/clusters/${inputs.cluster}/nodePools/${inputs.name ?? name}`,
        name: inputs.name ?? `${name}-${fakeHash(name, 7)}`,
        instanceGroupUrls: [],
    }),
    "gcp:sql/databaseInstance:DatabaseInstance": ({ inputs }) => ({
        id: inputs.name,
        privateIpAddress: privateIp(inputs.name),
        connectionName: `${projectOf(inputs)}:${regionOf(inputs)}:${inputs.name}`,
        selfLink: `https://sqladmin.googleapis.com/sql/v1beta4/projects/${projectOf(inputs)}/instances/${inputs.name}`,
        serverCaCerts: [{ cert: mockPem(`${inputs.name}-sql-ca`), commonName: "C=US,O=Google\\, Inc,CN=Google Cloud SQL Server CA" }],
    }),
    "gcp:sql/database:Database": ({ inputs }) => ({ id: `projects/${projectOf(inputs)}/instances/${inputs.instance}/databases/${inputs.name}` }),
    "gcp:sql/user:User": ({ inputs }) => ({ id: `${inputs.name}//${inputs.instance}` }),
    "gcp:redis/instance:Instance": ({ inputs }) => ({
        id: `projects/${projectOf(inputs)}/locations/${regionOf(inputs)}/instances/${inputs.name}`,
        host: privateIp(`${inputs.name}-redis`),
        // Memorystore serves TLS on 6378 and plain text on 6379.
        port: inputs.transitEncryptionMode === "SERVER_AUTHENTICATION" ? 6378 : 6379,
        authString: inputs.authEnabled ? `redis-auth-${fakeHash(`${inputs.name}-auth`, 32)}` : "",
        serverCaCerts: inputs.transitEncryptionMode === "SERVER_AUTHENTICATION" ? [{ cert: mockPem(`${inputs.name}-redis-ca`), serialNumber: "0", sha1Fingerprint: fakeHash(inputs.name, 40) }] : [],
        currentLocationId: `${regionOf(inputs)}-a`,
        readEndpoint: inputs.readReplicasMode === "READ_REPLICAS_ENABLED" ? privateIp(`${inputs.name}-read`) : "",
    }),
    "gcp:artifactregistry/repository:Repository": ({ inputs }) => ({
        id: `projects/${projectOf(inputs)}/locations/${inputs.location}/repositories/${inputs.repositoryId}`,
        name: inputs.repositoryId,
        registryUri: `${inputs.location}-docker.pkg.dev/${projectOf(inputs)}/${inputs.repositoryId}`,
        createTime: "2025-01-01T00:00:00Z",
    }),
    "gcp:storage/bucket:Bucket": ({ inputs }) => ({ id: inputs.name, url: `gs://${inputs.name}`, selfLink: `https://www.googleapis.com/storage/v1/b/${inputs.name}`, project: projectOf(inputs) }),
    "gcp:secretmanager/secret:Secret": ({ inputs }) => ({ id: `projects/${projectOf(inputs)}/secrets/${inputs.secretId}`, name: `projects/${mockProjectNumber}/secrets/${inputs.secretId}` }),
    "gcp:secretmanager/secretVersion:SecretVersion": ({ inputs }) => ({ id: `${inputs.secret}/versions/1`, name: `${inputs.secret}/versions/1`, version: "1" }),
};

/** Provider functions of gcp the program calls. */
export const gcpCalls: Record<string, CallMock> = {
    "gcp:organizations/getClientConfig:getClientConfig": () => ({
        id: "mock-client-config",
        accessToken: `ya29.mock-${fakeHash("access-token", 40)}`,
        project: pulumi.runtime.getConfig("gcp:project") ?? "mock-project",
        region: pulumi.runtime.getConfig("gcp:region") ?? "us-central1",
        zone: "",
        defaultLabels: {},
    }),
    "gcp:organizations/getProject:getProject": (inputs) => {
        const projectId = inputs.projectId ?? pulumi.runtime.getConfig("gcp:project") ?? "mock-project";
        return { id: `projects/${projectId}`, projectId, name: projectId, number: mockProjectNumber, autoCreateNetwork: true, labels: {} };
    },
    "gcp:storage/getProjectServiceAccount:getProjectServiceAccount": (inputs) => {
        const emailAddress = `service-${mockProjectNumber}@gs-project-accounts.iam.gserviceaccount.com`;
        return { id: emailAddress, emailAddress, member: `serviceAccount:${emailAddress}`, project: inputs.project ?? pulumi.runtime.getConfig("gcp:project") };
    },
};
