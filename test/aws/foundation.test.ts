import type { AwsFoundation } from "../../components/aws/foundation";
import { kubernetesNames } from "../../components/contract";
import { environmentDefaults } from "../../stacks";
import type { ProgramRun, RecordedResource } from "../../tools/engine/harness";
import { placeholderSecret } from "../../tools/engine/harness";
import { doc, isSecret, named, resolved, runWithFoundation } from "./support";

/**
 * The AWS foundation of the two example stacks (Pulumi.prod.yaml in us-east-1, Pulumi.staging.yaml in
 * us-west-2), each evaluated once under mocks through the real index.ts.
 */
type Stack = "prod" | "staging";
const runs = {} as Record<Stack, { run: ProgramRun; foundation: AwsFoundation }>;

beforeAll(async () => {
    runs.prod = await runWithFoundation({ stack: "prod" });
    runs.staging = await runWithFoundation({ stack: "staging" });
}, 60_000);

const stacks: Stack[] = ["prod", "staging"];
const R = {
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    nat: "aws:ec2/natGateway:NatGateway",
    routeTable: "aws:ec2/routeTable:RouteTable",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    key: "aws:kms/key:Key",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    cluster: "aws:eks/cluster:Cluster",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    addon: "aws:eks/addon:Addon",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    db: "aws:rds/instance:Instance",
    redis: "aws:elasticache/replicationGroup:ReplicationGroup",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    repo: "aws:ecr/repository:Repository",
    bucket: "aws:s3/bucket:Bucket",
};

const key = (run: ProgramRun, purpose: string) => named(run, R.key, `keys-${purpose}`);
/** The bucket the backup job writes to; the replica (prod) is in the recovery region. */
const dumpsBucket = (run: ProgramRun) => named(run, R.bucket, "backup-backups");
const keyArn = (run: ProgramRun, purpose: string) => key(run, purpose).state.arn;
const nodeSg = (run: ProgramRun) => named(run, R.sg, "network-nodes");
const subnets = (run: ProgramRun, tier: "public" | "private") => run.ofType(R.subnet).filter((s) => s.inputs.tags.tier === tier);
const policyOf = (run: ProgramRun, roleSuffix: string) => doc(named(run, R.rolePolicy, `identity-${roleSuffix}`), "policy");
const trustOf = (run: ProgramRun, roleSuffix: string) => doc(named(run, R.role, `identity-${roleSuffix}`), "assumeRolePolicy");

describe.each(stacks)("AWS foundation (%s)", (stack) => {
    const run = () => runs[stack].run;
    const contract = () => runs[stack].foundation.contract;
    const prod = stack === "prod";

    describe("network", () => {
        test("a /16 VPC with DNS, public and private subnets in three distinct zones", () => {
            const vpc = run().one(R.vpc);
            expect(vpc.inputs).toMatchObject({ cidrBlock: "10.0.0.0/16", enableDnsHostnames: true, enableDnsSupport: true });
            for (const tier of ["public", "private"] as const) {
                const ofTier = subnets(run(), tier);
                expect(ofTier).toHaveLength(3);
                expect(new Set(ofTier.map((s) => s.inputs.availabilityZone)).size).toBe(3);
            }
            expect(subnets(run(), "private").map((s) => s.inputs.cidrBlock)).toEqual(["10.0.0.0/18", "10.0.64.0/18", "10.0.128.0/18"]);
            expect(subnets(run(), "public").map((s) => s.inputs.cidrBlock)).toEqual(["10.0.192.0/21", "10.0.200.0/21", "10.0.208.0/21"]);
        });

        test("subnets carry the tags EKS load balancers look for", () => {
            const cluster = `kubernetes.io/cluster/ai-platform-${stack}`;
            for (const s of subnets(run(), "public")) expect(s.inputs.tags).toMatchObject({ "kubernetes.io/role/elb": "1", [cluster]: "shared" });
            for (const s of subnets(run(), "private")) expect(s.inputs.tags).toMatchObject({ "kubernetes.io/role/internal-elb": "1", [cluster]: "shared" });
            for (const s of subnets(run(), "public")) expect(s.inputs.tags["kubernetes.io/role/internal-elb"]).toBeUndefined();
        });

        test(`NAT: ${prod ? "one per zone" : "one shared"}, with private routes through it and public routes through the internet gateway`, () => {
            const nats = run().ofType(R.nat);
            expect(nats).toHaveLength(prod ? 3 : 1);
            const natIds = nats.map((n) => n.state.id);
            const privateRoutes = run()
                .ofType(R.routeTable)
                .filter((t) => t.name.includes("private"));
            expect(privateRoutes).toHaveLength(3);
            const targets = privateRoutes.map((t) => t.inputs.routes[0].natGatewayId);
            expect(new Set(targets).size).toBe(prod ? 3 : 1);
            for (const t of targets) expect(natIds).toContain(t);
            const publicRoutes = named(run(), R.routeTable, "public-rt");
            expect(publicRoutes.inputs.routes).toEqual([expect.objectContaining({ cidrBlock: "0.0.0.0/0", gatewayId: run().one("aws:ec2/internetGateway:InternetGateway").state.id })]);
            const eips = run()
                .ofType("aws:ec2/eip:Eip")
                .map((e) => e.state.id);
            expect(nats.map((n) => n.inputs.allocationId).sort()).toEqual(eips.sort());
            expect(nats.every((n) => subnets(run(), "public").some((s) => s.state.id === n.inputs.subnetId))).toBe(true);
        });

        test("VPC flow logs go to a KMS-encrypted log group with the configured retention", () => {
            const group = named(run(), R.logGroup, "network-flow-logs");
            expect(group.inputs).toMatchObject({ retentionInDays: prod ? 90 : 14, kmsKeyId: keyArn(run(), "logs") });
            const flowLog = run().one("aws:ec2/flowLog:FlowLog");
            expect(flowLog.inputs).toMatchObject({ trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: group.state.arn, vpcId: run().one(R.vpc).state.id });
        });

        test("the default security group allows nothing", () => {
            const sg = run().one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
            expect(sg.inputs.vpcId).toBe(run().one(R.vpc).state.id);
            expect(sg.inputs.ingress ?? []).toEqual([]);
            expect(sg.inputs.egress ?? []).toEqual([]);
        });
    });

    describe("cluster", () => {
        const eks = () => run().one(R.cluster);

        test("EKS on a supported version, with KMS envelope encryption and every control-plane log type", () => {
            expect(eks().inputs.version).toBe("1.35");
            expect(eks().inputs.name).toBe(`ai-platform-${stack}`);
            expect(eks().inputs.encryptionConfig).toEqual({ provider: { keyArn: keyArn(run(), "cluster") }, resources: ["secrets"] });
            expect(eks().inputs.enabledClusterLogTypes.sort()).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
            expect(eks().inputs.roleArn).toBe(named(run(), R.role, "cluster-cluster").state.arn);
            expect(eks().inputs.deletionProtection).toBe(prod);
            const controlPlaneLogs = named(run(), R.logGroup, "cluster-control-plane");
            expect(controlPlaneLogs.inputs).toMatchObject({ name: `/aws/eks/ai-platform-${stack}/cluster`, kmsKeyId: keyArn(run(), "logs") });
            expect(run().dependsOn(eks(), controlPlaneLogs)).toBe(true);
        });

        test("API endpoint: private, plus public only from the configured CIDRs", () => {
            expect(eks().inputs.vpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
            expect(eks().inputs.vpcConfig.subnetIds).toEqual(subnets(run(), "private").map((s) => s.state.id));
        });

        test("access entries (authentication mode API), not the aws-auth ConfigMap", () => {
            expect(eks().inputs.accessConfig).toEqual({ authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true });
            expect(
                run()
                    .ofType("kubernetes:core/v1:ConfigMap")
                    .filter((c) => c.inputs.metadata?.name === "aws-auth"),
            ).toEqual([]);
        });

        test(`managed node group in the private subnets, ${prod ? "3 nodes scaling 2–10" : "2 nodes scaling 1–4"}, desired size left to the autoscaler`, () => {
            const ng = run().one(R.nodeGroup);
            expect(ng.inputs.scalingConfig).toEqual(prod ? { desiredSize: 3, minSize: 2, maxSize: 10 } : { desiredSize: 2, minSize: 1, maxSize: 4 });
            expect(ng.inputs.subnetIds).toEqual(subnets(run(), "private").map((s) => s.state.id));
            expect(ng.options.ignoreChanges).toContain("scalingConfig.desiredSize");
            expect(ng.inputs.tags).toMatchObject({ "k8s.io/cluster-autoscaler/enabled": "true", [`k8s.io/cluster-autoscaler/ai-platform-${stack}`]: "owned" });
        });

        test("nodes come from a versioned launch template: instance type, IMDSv2 with hop limit 1, encrypted gp3 root volume", () => {
            const ng = run().one(R.nodeGroup);
            const lt = run().one(R.launchTemplate);
            expect(ng.inputs.launchTemplate).toEqual({ id: lt.state.id, version: "1" });
            // Replacement triggers stay out of the node group: no instance types, disk size or fixed name there.
            expect(ng.inputs.instanceTypes).toBeUndefined();
            expect(ng.inputs.diskSize).toBeUndefined();
            expect(ng.inputs.nodeGroupName ?? "").not.toMatch(/1\.\d+|m5|t3/);
            expect(lt.inputs.instanceType).toBe(prod ? "m5.xlarge" : "t3.large");
            expect(lt.inputs.metadataOptions).toMatchObject({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
            expect(lt.inputs.blockDeviceMappings).toEqual([
                { deviceName: "/dev/xvda", ebs: expect.objectContaining({ volumeType: "gp3", encrypted: "true", kmsKeyId: keyArn(run(), "nodes"), volumeSize: prod ? 100 : 30 }) },
            ]);
            expect(lt.inputs.vpcSecurityGroupIds).toEqual([eks().state.vpcConfig.clusterSecurityGroupId, nodeSg(run()).state.id]);
            expect(lt.inputs.updateDefaultVersion).toBe(true);
        });

        test("the nodes' key lets EC2 Auto Scaling's service-linked role encrypt the volumes and attach them (or nodes never launch)", () => {
            const statements = doc(key(run(), "nodes"), "policy").Statement;
            const autoScaling = { "aws:PrincipalArn": "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling", "kms:CallerAccount": "123456789012" };
            expect(statements).toContainEqual(
                expect.objectContaining({
                    Effect: "Allow",
                    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                    Condition: { StringEquals: autoScaling },
                }),
            );
            expect(statements).toContainEqual(
                expect.objectContaining({ Effect: "Allow", Action: "kms:CreateGrant", Condition: { StringEquals: autoScaling, Bool: { "kms:GrantIsForAWSResource": "true" } } }),
            );
            // Only the nodes' key admits Auto Scaling.
            for (const other of run()
                .ofType(R.key)
                .filter((k) => k.name !== key(run(), "nodes").name && k.inputs.policy))
                expect(other.inputs.policy).not.toContain("AWSServiceRoleForAutoScaling");
            expect(key(run(), "nodes").inputs.enableKeyRotation).toBe(true);
        });

        test("persistent volumes use the nodes' key too; the EBS CSI driver may use it only to create grants for EBS", () => {
            expect(run().one("kubernetes:storage.k8s.io/v1:StorageClass").inputs.parameters).toEqual({
                type: "gp3",
                encrypted: "true",
                kmsKeyId: keyArn(run(), "nodes"),
                "csi.storage.k8s.io/fstype": "ext4",
            });
            const statements = doc(named(run(), R.rolePolicy, "cluster-ebs-csi-key"), "policy").Statement;
            expect(statements.every((st: any) => st.Resource === keyArn(run(), "nodes"))).toBe(true);
            expect(statements.find((st: any) => [st.Action].flat().includes("kms:CreateGrant")).Condition).toEqual({ Bool: { "kms:GrantIsForAWSResource": "true" } });
            expect(run().dependsOn(named(run(), R.addon, "aws-ebs-csi-driver"), named(run(), R.rolePolicy, "cluster-ebs-csi-key"))).toBe(true);
        });

        test("OIDC provider for IRSA, trusted for sts.amazonaws.com", () => {
            const oidc = run().one("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
            expect(oidc.inputs.url).toBe(eks().state.identities[0].oidcs[0].issuer);
            expect(oidc.inputs.clientIdLists).toEqual(["sts.amazonaws.com"]);
        });

        test("core add-ons as EKS add-ons, the EBS CSI driver and the VPC CNI on their own IRSA roles", () => {
            const addons = run().ofType(R.addon);
            expect(addons.map((a) => a.inputs.addonName).sort()).toEqual(["aws-ebs-csi-driver", "coredns", "kube-proxy", "vpc-cni"]);
            const ebs = addons.find((a) => a.inputs.addonName === "aws-ebs-csi-driver")!;
            const ebsRole = named(run(), R.role, "cluster-ebs-csi");
            expect(ebs.inputs.serviceAccountRoleArn).toBe(ebsRole.state.arn);
            const trust = doc(ebsRole, "assumeRolePolicy").Statement[0];
            expect(Object.values(trust.Condition.StringEquals)).toContain("system:serviceaccount:kube-system:ebs-csi-controller-sa");
            const cni = addons.find((a) => a.inputs.addonName === "vpc-cni")!;
            expect(JSON.parse(cni.inputs.configurationValues)).toEqual({ enableNetworkPolicy: "true" });
            expect(cni.inputs.serviceAccountRoleArn).toBe(named(run(), R.role, "cluster-vpc-cni").state.arn);
        });

        test("the Kubernetes provider authenticates with `aws eks get-token` through a secret kubeconfig", async () => {
            const provider = run().one("pulumi:providers:kubernetes");
            expect(provider.secretPaths).toContain("kubeconfig");
            const kubeconfig = JSON.parse(provider.inputs.kubeconfig);
            expect(kubeconfig.clusters[0].cluster.server).toBe(eks().state.endpoint);
            expect(kubeconfig.users[0].user.exec).toMatchObject({ command: "aws", args: expect.arrayContaining(["eks", "get-token", "--cluster-name", `ai-platform-${stack}`]) });
            expect(JSON.stringify(kubeconfig)).not.toMatch(/token:|password|client-key/);
            expect(await isSecret(contract().cluster.kubeconfig)).toBe(true);
            expect(contract().cluster.provider).toBe(runs[stack].foundation.cluster.provider);
        });

        test("a gp3 encrypted StorageClass, made with the foundation's provider, is the contract's storage class", () => {
            const sc = run().one("kubernetes:storage.k8s.io/v1:StorageClass");
            expect(sc.inputs).toMatchObject({ provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true" }, volumeBindingMode: "WaitForFirstConsumer" });
            expect(sc.options.provider).toContain("pulumi:providers:kubernetes");
            expect(contract().addons.storageClass).toBe(sc.inputs.metadata.name);
        });
    });

    describe("database", () => {
        const db = () => run().one(R.db);

        test("PostgreSQL with the environment's size and availability", () => {
            expect(db().inputs).toMatchObject({
                engine: "postgres",
                engineVersion: "16",
                instanceClass: prod ? "db.t3.large" : "db.t4g.small",
                multiAz: prod,
                allocatedStorage: prod ? 100 : 20,
                maxAllocatedStorage: prod ? 500 : 100,
                storageType: "gp3",
                backupRetentionPeriod: prod ? 30 : 7,
                deletionProtection: prod,
                skipFinalSnapshot: !prod,
                publiclyAccessible: false,
            });
            if (prod) expect(db().inputs.finalSnapshotIdentifier).toMatch(/^ai-platform-prod-final-[0-9a-f]+$/);
            else expect(db().inputs.finalSnapshotIdentifier).toBeUndefined();
        });

        test("encrypted with its customer key; Performance Insights, enhanced monitoring, log exports; minor upgrades only", () => {
            const dbKey = keyArn(run(), "database");
            expect(db().inputs).toMatchObject({
                storageEncrypted: true,
                kmsKeyId: dbKey,
                performanceInsightsEnabled: true,
                performanceInsightsKmsKeyId: dbKey,
                monitoringInterval: 60,
                monitoringRoleArn: named(run(), R.role, "database-monitoring").state.arn,
                enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
                autoMinorVersionUpgrade: true,
                allowMajorVersionUpgrade: false,
            });
        });

        test("its parameter group forces TLS", () => {
            const params = run().one("aws:rds/parameterGroup:ParameterGroup");
            expect(params.inputs.family).toBe("postgres16");
            expect(params.inputs.parameters).toContainEqual(expect.objectContaining({ name: "rds.force_ssl", value: "1" }));
            expect(db().inputs.parameterGroupName).toBe(params.state.name);
        });

        test("in the private subnets, admitting 5432 only from the nodes' security group", () => {
            expect(run().one("aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds).toEqual(subnets(run(), "private").map((s) => s.state.id));
            const sg = named(run(), R.sg, "database-sg");
            expect(db().inputs.vpcSecurityGroupIds).toEqual([sg.state.id]);
            expect(sg.inputs.ingress).toEqual([expect.objectContaining({ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: [nodeSg(run()).state.id] })]);
            expect(sg.inputs.ingress[0].cidrBlocks ?? []).toEqual([]);
        });

        test("the generated password is a secret input and lives in a KMS-encrypted Secrets Manager secret", async () => {
            expect(db().secretPaths).toContain("password");
            expect(db().inputs.password).toMatch(/^[A-Za-z0-9]{40}$/);
            const secret = named(run(), R.secret, "database-credentials");
            expect(secret.inputs.kmsKeyId).toBe(keyArn(run(), "secrets"));
            const version = named(run(), R.secretVersion, "database-credentials");
            expect(version.secretPaths).toContain("secretString");
            expect(JSON.parse(version.inputs.secretString)).toEqual({
                engine: "postgres",
                username: "agents_app",
                password: db().inputs.password,
                host: db().state.address,
                port: 5432,
                dbname: "agents",
            });
            expect(await isSecret(contract().database.password)).toBe(true);
            expect(await resolved(contract().database.password)).toBe(db().inputs.password);
            expect(await resolved(contract().database.secretRef)).toBe(secret.state.arn);
        });
    });

    describe("cache", () => {
        const redis = () => run().one(R.redis);

        test(`Redis 7: ${prod ? "3 nodes with multi-AZ failover" : "1 node, no failover"}`, () => {
            expect(redis().inputs).toMatchObject({
                engine: "redis",
                engineVersion: "7.1",
                parameterGroupName: "default.redis7",
                nodeType: prod ? "cache.r6g.large" : "cache.t4g.small",
                numCacheClusters: prod ? 3 : 1,
                automaticFailoverEnabled: prod,
                multiAzEnabled: prod,
                snapshotRetentionLimit: prod ? 7 : 1,
            });
        });

        test("encrypted at rest with KMS and in transit with an AUTH token that stays secret", async () => {
            expect(redis().inputs).toMatchObject({ atRestEncryptionEnabled: true, kmsKeyId: keyArn(run(), "cache"), transitEncryptionEnabled: true });
            expect(redis().secretPaths).toContain("authToken");
            expect(contract().cache.tls).toBe(true);
            expect(await isSecret(contract().cache.authToken)).toBe(true);
            expect(await resolved(contract().cache.authToken)).toBe(redis().inputs.authToken);
        });

        test("slow log shipped to CloudWatch", () => {
            const group = named(run(), R.logGroup, "cache-slow-log");
            expect(redis().inputs.logDeliveryConfigurations).toEqual([{ destination: group.state.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" }]);
        });

        test("in the private subnets, admitting 6379 only from the nodes' security group", () => {
            expect(run().one("aws:elasticache/subnetGroup:SubnetGroup").inputs.subnetIds).toEqual(subnets(run(), "private").map((s) => s.state.id));
            const sg = named(run(), R.sg, "cache-sg");
            expect(redis().inputs.securityGroupIds).toEqual([sg.state.id]);
            expect(sg.inputs.ingress).toEqual([expect.objectContaining({ protocol: "tcp", fromPort: 6379, toPort: 6379, securityGroups: [nodeSg(run()).state.id] })]);
        });
    });

    describe("registry and image", () => {
        test("ECR: immutable tags, scan on push, KMS, lifecycle keeping image.keepImages", () => {
            const repo = run().one(R.repo);
            expect(repo.inputs).toMatchObject({
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: keyArn(run(), "registry") }],
                forceDelete: !prod,
            });
            const rules = JSON.parse(run().one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy).rules;
            expect(rules[0].selection).toMatchObject({ countType: "imageCountMoreThan", countNumber: prod ? 50 : 20 });
            expect(rules[0].action).toEqual({ type: "expire" });
        });

        test("the image is built from app/ and pushed with an ECR token; workloads get the digest-pinned ref", async () => {
            const repo = run().one(R.repo);
            const image = run().one("docker:index/image:Image");
            expect(image.inputs.imageName).toMatch(new RegExp(`^${repo.state.repositoryUrl}:c-[0-9a-f]{16}$`));
            expect(image.inputs.build.context).toMatch(/[/\\]app$/);
            expect(image.inputs.registry).toMatchObject({ server: `https://123456789012.dkr.ecr.${prod ? "us-east-1" : "us-west-2"}.amazonaws.com`, username: "AWS" });
            expect(image.secretPaths).toContain("registry.password");
            const ref = await resolved<string>(contract().image.ref);
            expect(ref).toMatch(new RegExp(`^${repo.state.repositoryUrl}@sha256:[0-9a-f]{64}$`));
            expect(run().outputs.imageRef.value).toBe(ref);
        });
    });

    describe("backups bucket", () => {
        const bucket = () => dumpsBucket(run());
        const onBucket = (type: string, b: RecordedResource = bucket()) =>
            run()
                .ofType(type)
                .filter((r) => r.inputs.bucket === b.state.id);

        test("versioned, SSE-KMS with the backups key, no public access, no ACLs", () => {
            expect(onBucket("aws:s3/bucketVersioning:BucketVersioning")[0].inputs.versioningConfiguration).toEqual({ status: "Enabled" });
            expect(onBucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")[0].inputs.rules).toEqual([
                { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn(run(), "backups") }, bucketKeyEnabled: true },
            ]);
            expect(onBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")[0].inputs).toMatchObject({
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
            expect(onBucket("aws:s3/bucketOwnershipControls:BucketOwnershipControls")[0].inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
            expect(bucket().inputs.forceDestroy).toBe(!prod);
        });

        test("a bucket policy refuses every request without TLS", () => {
            const statements = doc(onBucket("aws:s3/bucketPolicy:BucketPolicy")[0], "policy").Statement;
            expect(statements).toContainEqual(expect.objectContaining({ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }));
        });

        test(`dumps and their old versions expire after backup.retentionDays (${prod ? 30 : 7})`, () => {
            const rule = onBucket("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")[0].inputs.rules[0];
            expect(rule).toMatchObject({ status: "Enabled", expiration: { days: prod ? 30 : 7 }, noncurrentVersionExpiration: { noncurrentDays: prod ? 30 : 7 } });
        });

        test("the contract names the bucket, its s3:// url, a pinned aws-cli image and an SSE-KMS upload command", async () => {
            const name = bucket().state.bucket;
            expect(await resolved(contract().backups.bucket)).toBe(name);
            expect(await resolved(contract().backups.url)).toBe(`s3://${name}`);
            expect(contract().backups.uploaderImage).toMatch(/^public\.ecr\.aws\/aws-cli\/aws-cli:\d+\.\d+\.\d+$/);
            const command = await resolved<string>(contract().backups.uploadCommand);
            expect(command).toContain(`aws s3 cp - "s3://${name}/$BACKUP_OBJECT"`);
            expect(command).toContain(`--sse aws:kms --sse-kms-key-id ${keyArn(run(), "backups")}`);
            // S3 refuses uploads without a checksum into a bucket with Object Lock retention.
            expect(command).toContain("--checksum-algorithm CRC32");
            expect(await resolved<string>(contract().backups.downloadCommand)).toBe(`aws s3 cp "s3://${name}/$BACKUP_OBJECT" - --only-show-errors`);
            expect(run().outputs.backupBucket.value).toBe(name);
        });

        test(prod ? "dumps are locked for backup.retentionDays in COMPLIANCE mode (Object Lock)" : "staging dumps stay deletable: no Object Lock, force-destroy", () => {
            const locks = run().ofType("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration");
            if (!prod) {
                expect(locks).toEqual([]);
                expect(bucket().inputs).toMatchObject({ objectLockEnabled: false, forceDestroy: true });
                return;
            }
            expect(bucket().inputs).toMatchObject({ objectLockEnabled: true, forceDestroy: false });
            const [lock] = onBucket("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration");
            expect(lock.inputs).toMatchObject({ objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: "COMPLIANCE", days: 30 } } });
            // Object Lock needs versioning first.
            expect(run().dependsOn(lock, onBucket("aws:s3/bucketVersioning:BucketVersioning")[0])).toBe(true);
        });

        test(prod ? "every dump is replicated to a locked, versioned, encrypted bucket in us-west-2 under a key of that region" : "staging dumps stay in one region", () => {
            const replications = run().ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig");
            const buckets = run().ofType(R.bucket);
            if (!prod) {
                expect(replications).toEqual([]);
                expect(buckets).toHaveLength(1);
                return;
            }
            const replica = named(run(), R.bucket, "replica-backups");
            const replicaKey = named(run(), R.key, "backup-replica-key");
            expect(replica.inputs).toMatchObject({ region: "us-west-2", objectLockEnabled: true, forceDestroy: false });
            expect(replicaKey.inputs).toMatchObject({ region: "us-west-2", enableKeyRotation: true });
            expect(replicaKey.state.arn).toMatch(/^arn:aws:kms:us-west-2:/);
            expect(replicaKey.options.protect).toBe(true);
            // The replica is configured like the primary: versioned, SSE-KMS with its own key, private, TLS-only, same lifecycle and lock.
            expect(onBucket("aws:s3/bucketVersioning:BucketVersioning", replica)[0].inputs).toMatchObject({ region: "us-west-2", versioningConfiguration: { status: "Enabled" } });
            expect(onBucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", replica)[0].inputs.rules[0].applyServerSideEncryptionByDefault).toEqual({
                sseAlgorithm: "aws:kms",
                kmsMasterKeyId: replicaKey.state.arn,
            });
            expect(onBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", replica)[0].inputs).toMatchObject({ blockPublicAcls: true, restrictPublicBuckets: true });
            expect(onBucket("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", replica)[0].inputs.rules).toEqual(
                onBucket("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")[0].inputs.rules,
            );
            expect(onBucket("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", replica)[0].inputs.rule).toEqual({ defaultRetention: { mode: "COMPLIANCE", days: 30 } });
            expect(doc(onBucket("aws:s3/bucketPolicy:BucketPolicy", replica)[0], "policy").Statement[0].Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });

            const [replication] = replications;
            expect(replication.inputs.bucket).toBe(bucket().state.id);
            expect(replication.inputs.rules).toEqual([
                {
                    id: "dumps-to-us-west-2",
                    status: "Enabled",
                    filter: { prefix: "" },
                    deleteMarkerReplication: { status: "Disabled" },
                    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                    destination: { bucket: replica.state.arn, storageClass: "STANDARD", encryptionConfiguration: { replicaKmsKeyId: replicaKey.state.arn } },
                },
            ]);
            // The replication role reads the source's versions and retention, decrypts with the source key, encrypts with the replica's.
            const role = named(run(), R.role, "backup-replication");
            expect(doc(role, "assumeRolePolicy").Statement[0].Principal).toEqual({ Service: "s3.amazonaws.com" });
            expect(replication.inputs.role).toBe(role.state.arn);
            const statements = doc(named(run(), R.rolePolicy, "backup-replication"), "policy").Statement;
            expect(statements).toContainEqual(
                expect.objectContaining({ Action: expect.arrayContaining(["s3:GetObjectVersionForReplication", "s3:GetObjectRetention"]), Resource: `${bucket().state.arn}/*` }),
            );
            expect(statements).toContainEqual(expect.objectContaining({ Action: ["s3:ReplicateObject", "s3:ReplicateTags"], Resource: `${replica.state.arn}/*` }));
            expect(statements).toContainEqual({
                Sid: "DecryptSource",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: keyArn(run(), "backups"),
                Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
            });
            expect(statements).toContainEqual(
                expect.objectContaining({
                    Action: ["kms:Encrypt", "kms:GenerateDataKey"],
                    Resource: replicaKey.state.arn,
                    Condition: { StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" } },
                }),
            );
            expect(statements.flatMap((st: any) => [st.Action].flat())).not.toContain("s3:ReplicateDelete");
            // S3 refuses a replication rule before both buckets are versioned.
            for (const v of [...onBucket("aws:s3/bucketVersioning:BucketVersioning"), ...onBucket("aws:s3/bucketVersioning:BucketVersioning", replica)])
                expect(run().dependsOn(replication, v)).toBe(true);
        });
    });

    describe("identity (IRSA)", () => {
        const oidcArn = () => run().one("aws:iam/openIdConnectProvider:OpenIdConnectProvider").state.arn;
        const conditionOf = (trust: any) => trust.Statement[0].Condition.StringEquals as Record<string, string | string[]>;
        const subOf = (trust: any) => Object.entries(conditionOf(trust)).find(([k]) => k.endsWith(":sub"))![1];
        const audOf = (trust: any) => Object.entries(conditionOf(trust)).find(([k]) => k.endsWith(":aud"))![1];

        test.each([
            ["app", [`system:serviceaccount:ai-agents:${kubernetesNames.serviceAccounts.api}`, `system:serviceaccount:ai-agents:${kubernetesNames.serviceAccounts.worker}`]],
            ["backup", `system:serviceaccount:ai-agents:${kubernetesNames.serviceAccounts.backup}`],
            ["cluster-autoscaler", "system:serviceaccount:kube-system:cluster-autoscaler"],
            ["fluent-bit", "system:serviceaccount:logging:fluent-bit"],
        ])("%s role is trusted only by its service accounts on this cluster (sub and aud)", (role, subjects) => {
            const trust = trustOf(run(), role as string);
            expect(trust.Statement).toHaveLength(1);
            expect(trust.Statement[0]).toMatchObject({ Effect: "Allow", Action: "sts:AssumeRoleWithWebIdentity", Principal: { Federated: oidcArn() } });
            expect(subOf(trust)).toEqual(subjects);
            expect(audOf(trust)).toBe("sts.amazonaws.com");
            const issuerHost = run().one(R.cluster).state.identities[0].oidcs[0].issuer.replace("https://", "");
            expect(Object.keys(conditionOf(trust)).every((k) => k.startsWith(issuerHost))).toBe(true);
        });

        test("app may read only its own two secrets, and decrypt only through Secrets Manager", () => {
            const statements = policyOf(run(), "app").Statement;
            const secretArns = [named(run(), R.secret, "database-credentials").state.arn, named(run(), R.secret, "cache-auth-token").state.arn];
            expect(statements).toEqual([
                expect.objectContaining({ Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: secretArns }),
                expect.objectContaining({
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: keyArn(run(), "secrets"),
                    Condition: { StringEquals: { "kms:ViaService": expect.stringMatching(/^secretsmanager\./) } },
                }),
            ]);
        });

        test("backup may only write objects into the bucket, encrypted with the bucket key", () => {
            const statements = policyOf(run(), "backup").Statement;
            expect(statements[0]).toMatchObject({ Action: ["s3:PutObject", "s3:AbortMultipartUpload"], Resource: `${dumpsBucket(run()).state.arn}/*` });
            expect(statements[1]).toMatchObject({ Resource: keyArn(run(), "backups") });
            const actions = statements.flatMap((s: any) => [s.Action].flat());
            expect(actions).not.toContain("s3:GetObject");
            expect(actions).not.toContain("s3:DeleteObject");
            expect(actions.every((a: string) => !a.includes("*"))).toBe(true);
        });

        test("cluster-autoscaler may resize only this cluster's node groups; Fluent Bit may write only to its log group", () => {
            const resize = policyOf(run(), "cluster-autoscaler").Statement.find((s: any) => s.Action.includes("autoscaling:SetDesiredCapacity"));
            expect(resize.Condition).toEqual({ StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/ai-platform-${stack}`]: "owned" } });
            const group = named(run(), R.logGroup, "cluster-containers");
            expect(policyOf(run(), "fluent-bit").Statement).toEqual([expect.objectContaining({ Resource: [group.state.arn, `${group.state.arn}:*`] })]);
        });

        test("the contract's identity annotations bind the app and backup service accounts to their roles", async () => {
            expect(await resolved(contract().identity.app)).toEqual({ "eks.amazonaws.com/role-arn": named(run(), R.role, "identity-app").state.arn });
            expect(await resolved(contract().identity.backup)).toEqual({ "eks.amazonaws.com/role-arn": named(run(), R.role, "identity-backup").state.arn });
        });
    });

    describe("add-ons in the contract", () => {
        test("NLB annotations for the ingress controller; EKS has no metrics-server of its own", () => {
            expect(contract().addons.ingressServiceAnnotations).toMatchObject({ "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" });
            expect(contract().addons.providesMetricsServer).toBe(false);
        });

        test("cluster-autoscaler: pinned chart, the cluster's minor version, auto-discovery of this cluster, IRSA service account", async () => {
            const release = contract().addons.extraReleases.find((r) => r.chart === "cluster-autoscaler")!;
            expect(release).toMatchObject({ namespace: "kube-system", repository: "https://kubernetes.github.io/autoscaler", version: environmentDefaults[stack].addons.clusterAutoscaler });
            expect(await resolved(release.values)).toMatchObject({
                image: { tag: `v${environmentDefaults[stack].cluster.kubernetesVersion}.0` },
                autoDiscovery: { clusterName: `ai-platform-${stack}` },
                awsRegion: prod ? "us-east-1" : "us-west-2",
                rbac: { serviceAccount: { name: "cluster-autoscaler", annotations: { "eks.amazonaws.com/role-arn": named(run(), R.role, "identity-cluster-autoscaler").state.arn } } },
            });
        });

        test("Fluent Bit: pinned chart, ships to the container log group with IRSA, creates no groups", async () => {
            const release = contract().addons.extraReleases.find((r) => r.chart === "aws-for-fluent-bit")!;
            expect(release).toMatchObject({ namespace: "logging", repository: "https://aws.github.io/eks-charts", version: "0.1.35" });
            const group = named(run(), R.logGroup, "cluster-containers");
            expect(group.inputs.retentionInDays).toBe(prod ? 30 : 7);
            expect(group.inputs.kmsKeyId).toBe(keyArn(run(), "logs"));
            expect(await resolved(release.values)).toMatchObject({
                serviceAccount: { name: "fluent-bit", annotations: { "eks.amazonaws.com/role-arn": named(run(), R.role, "identity-fluent-bit").state.arn } },
                cloudWatchLogs: { enabled: true, region: prod ? "us-east-1" : "us-west-2", logGroupName: group.state.name, logGroupTemplate: "", autoCreateGroup: false },
            });
        });
    });

    describe("data safety", () => {
        test(`database, cache, KMS keys and backup bucket are ${prod ? "" : "not "}protected`, () => {
            const guarded = [run().one(R.db), run().one(R.redis), ...run().ofType(R.bucket), ...run().ofType(R.key)];
            expect(guarded.length).toBeGreaterThanOrEqual(10);
            for (const r of guarded) expect({ name: r.name, protect: r.options.protect }).toEqual({ name: r.name, protect: prod });
        });

        test(prod ? "automated backups are replicated to us-west-2 with a key of that region" : "no cross-region replication", () => {
            const replications = run().ofType("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication");
            if (!prod) {
                expect(replications).toEqual([]);
                return;
            }
            const [replication] = replications;
            const provider = run().one("pulumi:providers:aws");
            expect(provider.inputs.region).toBe("us-west-2");
            expect(replication.options.provider).toContain(provider.urn);
            expect(replication.inputs).toMatchObject({ sourceDbInstanceArn: run().one(R.db).state.arn, retentionPeriod: 30 });
            const drKey = named(run(), R.key, "dr-key");
            expect(drKey.options.provider).toContain(provider.urn);
            expect(drKey.options.protect).toBe(true);
            expect(replication.inputs.kmsKeyId).toBe(drKey.state.arn);
        });
    });

    describe("dependencies", () => {
        test("database, cache and registry do not wait on the cluster", () => {
            const cluster = run().one(R.cluster);
            for (const r of [run().one(R.db), run().one(R.redis), run().one(R.repo), run().one("docker:index/image:Image"), named(run(), R.sg, "database-sg")]) {
                expect({ resource: r.name, waitsOnCluster: run().dependsOn(r, cluster) }).toEqual({ resource: r.name, waitsOnCluster: false });
            }
        });

        test("the node group waits on the cluster; pod-based add-ons and the StorageClass wait on the nodes", () => {
            const nodeGroup = run().one(R.nodeGroup);
            expect(run().dependsOn(nodeGroup, run().one(R.cluster))).toBe(true);
            expect(
                run().dependsOn(
                    nodeGroup,
                    run()
                        .ofType(R.addon)
                        .find((a) => a.inputs.addonName === "vpc-cni")!,
                ),
            ).toBe(true);
            for (const name of ["coredns", "aws-ebs-csi-driver"])
                expect(
                    run().dependsOn(
                        run()
                            .ofType(R.addon)
                            .find((a) => a.inputs.addonName === name)!,
                        nodeGroup,
                    ),
                ).toBe(true);
            expect(run().dependsOn(run().one("kubernetes:storage.k8s.io/v1:StorageClass"), nodeGroup)).toBe(true);
        });

        test("readyResources are the node group and the networking add-ons; storageResources the EBS driver and the StorageClass", () => {
            const cluster = runs[stack].foundation.cluster;
            // `addons` lists vpc-cni, kube-proxy, coredns and the EBS CSI driver, in that order.
            const [vpcCni, kubeProxy, coreDns, ebsCsi] = cluster.addons;
            const { readyResources, storageResources } = contract().cluster;
            expect(readyResources).toEqual([cluster.nodeGroup, vpcCni, kubeProxy, coreDns]);
            expect(storageResources).toEqual([ebsCsi, cluster.storageClass]);
        });

        test("only what claims volumes waits for the storage add-on: the monitoring namespace and its release", () => {
            const ebs = run()
                .ofType(R.addon)
                .find((a) => a.inputs.addonName === "aws-ebs-csi-driver")!;
            const waiting = run().resources.filter((r) => r.type.startsWith("kubernetes:") && r.custom && !r.read && run().dependsOn(r, ebs));
            const names = new Set(waiting.map((r) => r.name));
            expect(names).toContain("ai-platform-monitoring-kube-prometheus-stack");
            for (const name of [
                "ai-platform-namespace",
                "ai-platform-config-secret",
                "ai-platform-migrate",
                "ai-platform-api",
                "ai-platform-addons-ingress-nginx",
                "ai-platform-addons-cert-manager",
            ]) {
                expect({ name, waitsForStorage: names.has(name) }).toEqual({ name, waitsForStorage: false });
            }
        });
    });

    describe("stack outputs", () => {
        test("every output the brief names is there, with the foundation's values", () => {
            const o = run().outputs;
            expect(o.vpcId.value).toBe(run().one(R.vpc).state.id);
            expect(o.privateSubnetIds.value).toEqual(subnets(run(), "private").map((s) => s.state.id));
            expect(o.clusterName.value).toBe(`ai-platform-${stack}`);
            expect(o.databaseHost.value).toBe(run().one(R.db).state.address);
            expect(o.databasePort.value).toBe(5432);
            expect(o.databaseSecretRef.value).toBe(named(run(), R.secret, "database-credentials").state.arn);
            expect(o.cacheHost.value).toBe(run().one(R.redis).state.primaryEndpointAddress);
            expect(o.cachePort.value).toBe(6379);
            expect(o.kubeconfig.secret).toBe(true);
        });

        test("no plain output carries a password, token or key", () => {
            const secretValues = [run().one(R.db).inputs.password, run().one(R.redis).inputs.authToken, "mock-ecr-token-password", ...run().secretKeys.map(placeholderSecret)];
            const plain = Object.entries(run().outputs).filter(([, o]) => !o.secret);
            expect(plain.length).toBeGreaterThan(5);
            for (const [name, output] of plain) {
                const text = JSON.stringify(output.value);
                for (const value of secretValues) expect({ name, leaks: text.includes(value) }).toEqual({ name, leaks: false });
                expect({ name, looksLikeCredential: /password|authToken|BEGIN .*PRIVATE KEY|token:/i.test(text) }).toEqual({ name, looksLikeCredential: false });
            }
        });
    });
});

describe("staging and prod differ where the brief says, and only there", () => {
    const one = (stack: Stack, type: string): RecordedResource => runs[stack].run.one(type);
    test("staging is smaller and single-zone for its data stores; prod is highly available", () => {
        expect([one("prod", R.db).inputs.multiAz, one("staging", R.db).inputs.multiAz]).toEqual([true, false]);
        expect([one("prod", R.redis).inputs.numCacheClusters, one("staging", R.redis).inputs.numCacheClusters]).toEqual([3, 1]);
        expect([runs.prod.run.ofType(R.nat).length, runs.staging.run.ofType(R.nat).length]).toEqual([3, 1]);
        expect([one("prod", R.db).options.protect, one("staging", R.db).options.protect]).toEqual([true, false]);
    });

    test("both are built from the same kinds of resources, apart from the cross-region copies, the dumps' lock and the extra NATs", () => {
        const kinds = (stack: Stack) => new Set(runs[stack].run.resources.map((r) => r.type));
        const onlyProd = [...kinds("prod")].filter((t) => !kinds("staging").has(t)).sort();
        expect(onlyProd).toEqual([
            "ai-platform:aws:BackupReplication",
            "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
            "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
            "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
            "pulumi:providers:aws",
        ]);
        expect([...kinds("staging")].filter((t) => !kinds("prod").has(t))).toEqual([]);
    });

    test("every taggable AWS resource carries the standard tags", () => {
        for (const stack of stacks) {
            const tagged = runs[stack].run.resources.filter((r) => r.custom && r.type.startsWith("aws:") && r.inputs.tags !== undefined);
            expect(tagged.length).toBeGreaterThan(40);
            for (const r of tagged)
                expect({ r: r.name, tags: r.inputs.tags }).toEqual({
                    r: r.name,
                    tags: expect.objectContaining({ project: "ai-platform", environment: stack, owner: "platform-team", "managed-by": "pulumi" }),
                });
        }
    });
});
