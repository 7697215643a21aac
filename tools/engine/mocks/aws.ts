import * as pulumi from "@pulumi/pulumi";
import { fakeHash } from "./common";
import type { CallMock, ResourceMock } from "./index";

export const mockAccountId = "123456789012";

/** The stack's region, as the real provider would use it for ARNs and endpoints. */
const region = (): string => pulumi.runtime.getConfig("aws:region") ?? "us-east-1";
/** An ARN in the resource's own region (`region` input, as aws v7 resources take it) or the provider's. */
const arn = (service: string, resource: string, withRegion: boolean | string = true) =>
    `arn:aws:${service}:${typeof withRegion === "string" ? withRegion : withRegion ? region() : ""}:${mockAccountId}:${resource}`;
/** The physical name the engine would auto-generate: the logical name plus a random suffix. */
const physical = (name: string, given: unknown) => (typeof given === "string" && given !== "" ? given : `${name}-${fakeHash(name, 7)}`);

/** Computed outputs by type; `awsResources` below adds an ID to every aws resource the program declares. */
const computed: Record<string, ResourceMock> = {
    "aws:kms/key:Key": ({ name, inputs }) => {
        const keyId = `${fakeHash(name, 8)}-${fakeHash(`${name}1`, 4)}-${fakeHash(`${name}2`, 4)}-${fakeHash(`${name}3`, 4)}-${fakeHash(`${name}4`, 12)}`;
        return { id: keyId, keyId, arn: arn("kms", `key/${keyId}`, inputs.region ?? true) };
    },
    "aws:iam/role:Role": ({ name, inputs }) => {
        const roleName = physical(name, inputs.name);
        return { id: roleName, name: roleName, arn: arn("iam", `role/${roleName}`, false), uniqueId: `AROA${fakeHash(name, 16).toUpperCase()}` };
    },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": ({ inputs }) => {
        const providerArn = arn("iam", `oidc-provider/${String(inputs.url).replace(/^https:\/\//, "")}`, false);
        return { id: providerArn, arn: providerArn };
    },
    "aws:ec2/vpc:Vpc": ({ name }) => ({ id: `vpc-${fakeHash(name, 17)}`, arn: arn("ec2", `vpc/vpc-${fakeHash(name, 17)}`) }),
    "aws:ec2/subnet:Subnet": ({ name }) => ({ id: `subnet-${fakeHash(name, 17)}` }),
    "aws:ec2/securityGroup:SecurityGroup": ({ name, inputs }) => ({ id: `sg-${fakeHash(name, 17)}`, name: physical(name, inputs.name) }),
    "aws:ec2/natGateway:NatGateway": ({ name }) => ({ id: `nat-${fakeHash(name, 17)}` }),
    "aws:ec2/launchTemplate:LaunchTemplate": ({ name }) => ({ id: `lt-${fakeHash(name, 17)}`, latestVersion: 1, defaultVersion: 1 }),
    "aws:cloudwatch/logGroup:LogGroup": ({ name, inputs }) => {
        const groupName = physical(name, inputs.name);
        return { id: groupName, name: groupName, arn: arn("logs", `log-group:${groupName}`) };
    },
    "aws:eks/cluster:Cluster": ({ name, inputs }) => {
        const clusterName = physical(name, inputs.name);
        const oidcId = fakeHash(name, 32).toUpperCase();
        return {
            id: clusterName,
            name: clusterName,
            arn: arn("eks", `cluster/${clusterName}`),
            endpoint: `https://${oidcId}.gr7.${region()}.eks.amazonaws.com`,
            certificateAuthority: { data: Buffer.from(`-----BEGIN CERTIFICATE-----\nMII${fakeHash(name, 40)}\n-----END CERTIFICATE-----\n`).toString("base64") },
            identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region()}.amazonaws.com/id/${oidcId}` }] }],
            vpcConfig: { ...inputs.vpcConfig, clusterSecurityGroupId: `sg-${fakeHash(`${name}-cluster`, 17)}`, vpcId: inputs.vpcConfig?.vpcId },
            version: inputs.version,
            platformVersion: "eks.1",
            status: "ACTIVE",
        };
    },
    "aws:eks/nodeGroup:NodeGroup": ({ name, inputs }) => ({ arn: arn("eks", `nodegroup/${inputs.clusterName}/${name}/${fakeHash(name, 36)}`), status: "ACTIVE" }),
    "aws:eks/addon:Addon": ({ inputs }) => ({ arn: arn("eks", `addon/${inputs.clusterName}/${inputs.addonName}/${fakeHash(inputs.addonName, 36)}`), addonVersion: "v1.0.0-eksbuild.1" }),
    "aws:rds/subnetGroup:SubnetGroup": ({ name, inputs }) => ({ id: physical(name, inputs.name), name: physical(name, inputs.name) }),
    "aws:rds/parameterGroup:ParameterGroup": ({ name, inputs }) => ({ id: physical(name, inputs.name), name: physical(name, inputs.name) }),
    "aws:rds/instance:Instance": ({ name, inputs }) => {
        const identifier = physical(name, inputs.identifier);
        const address = `${identifier}.c${fakeHash(name, 11)}.${region()}.rds.amazonaws.com`;
        const port = inputs.port ?? 5432;
        return { id: identifier, identifier, address, port, endpoint: `${address}:${port}`, arn: arn("rds", `db:${identifier}`), resourceId: `db-${fakeHash(name, 26).toUpperCase()}` };
    },
    "aws:elasticache/subnetGroup:SubnetGroup": ({ name, inputs }) => ({ id: physical(name, inputs.name), name: physical(name, inputs.name) }),
    "aws:elasticache/replicationGroup:ReplicationGroup": ({ name, inputs }) => {
        const id = physical(name, inputs.replicationGroupId);
        return {
            id,
            arn: arn("elasticache", `replicationgroup:${id}`),
            primaryEndpointAddress: `master.${id}.${fakeHash(name, 6)}.${region().replace(/-/g, "")}.cache.amazonaws.com`,
            readerEndpointAddress: `replica.${id}.${fakeHash(name, 6)}.${region().replace(/-/g, "")}.cache.amazonaws.com`,
            port: inputs.port ?? 6379,
        };
    },
    "aws:secretsmanager/secret:Secret": ({ name }) => {
        const secretArn = arn("secretsmanager", `secret:${name}-${fakeHash(name, 6)}`);
        return { id: secretArn, arn: secretArn };
    },
    "aws:ecr/repository:Repository": ({ name, inputs }) => {
        const repoName = physical(name, inputs.name);
        return { id: repoName, name: repoName, registryId: mockAccountId, repositoryUrl: `${mockAccountId}.dkr.ecr.${region()}.amazonaws.com/${repoName}`, arn: arn("ecr", `repository/${repoName}`) };
    },
    "aws:s3/bucket:Bucket": ({ name, inputs }) => {
        const bucket = physical(name, inputs.bucket);
        return { id: bucket, bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.${region()}.amazonaws.com` };
    },
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": ({ name }) => ({ id: arn("rds", `auto-backup:ab-${fakeHash(name, 26)}`) }),
};

/**
 * IDs in the shape AWS gives them. The engine passes an empty import ID for new resources, so every
 * type referenced by ID elsewhere (routes to a gateway, a secret version's secret) needs one here, or
 * the reference would read as unknown.
 */
const idPrefixes: Record<string, string> = {
    "aws:ec2/internetGateway:InternetGateway": "igw-",
    "aws:ec2/eip:Eip": "eipalloc-",
    "aws:ec2/routeTable:RouteTable": "rtb-",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc-",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg-",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce-",
    "aws:ec2/flowLog:FlowLog": "fl-",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "attachment-",
    "aws:iam/rolePolicy:RolePolicy": "policy-",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "oidc-",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "",
    "aws:s3/bucketVersioning:BucketVersioning": "",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "",
    "aws:s3/bucketPolicy:BucketPolicy": "",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "",
    "aws:secretsmanager/secretVersion:SecretVersion": "",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": "",
    "aws:eks/nodeGroup:NodeGroup": "",
    "aws:eks/addon:Addon": "",
};

/** Outputs the aws provider computes, for the resources the program reads back. */
export const awsResources: Record<string, ResourceMock> = Object.fromEntries(
    [...new Set([...Object.keys(computed), ...Object.keys(idPrefixes)])].map((type) => [
        type,
        (args: pulumi.runtime.MockResourceArgs) => {
            const outputs = computed[type]?.(args) ?? {};
            return { id: `${idPrefixes[type] ?? ""}${fakeHash(args.name, 17)}`, ...outputs };
        },
    ]),
);

/** Provider functions of aws the program calls. */
export const awsCalls: Record<string, CallMock> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (inputs) => {
        const r = inputs.region ?? region();
        return { id: r, names: ["a", "b", "c", "d"].map((z) => `${r}${z}`), zoneIds: [1, 2, 3, 4].map((n) => `use1-az${n}`), groupNames: [r], state: inputs.state };
    },
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": (inputs) => {
        const registryId = inputs.registryId ?? mockAccountId;
        return {
            id: region(),
            registryId,
            userName: "AWS",
            password: "mock-ecr-token-password",
            authorizationToken: Buffer.from("AWS:mock-ecr-token-password").toString("base64"),
            proxyEndpoint: `https://${registryId}.dkr.ecr.${region()}.amazonaws.com`,
            expiresAt: "2030-01-01T00:00:00Z",
            region: region(),
        };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({ id: mockAccountId, accountId: mockAccountId, arn: `arn:aws:iam::${mockAccountId}:user/pulumi`, userId: "AIDAEXAMPLE" }),
    "aws:index/getPartition:getPartition": () => ({ id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" }),
    "aws:index/getRegion:getRegion": (inputs) => {
        const r = inputs.region ?? region();
        return { id: r, region: r, name: r, endpoint: `ec2.${r}.amazonaws.com`, description: r };
    },
};
