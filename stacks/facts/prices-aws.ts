/**
 * AWS on-demand list prices in USD, per region, for what the program declares. Linux, shared tenancy,
 * no Savings Plans, Reserved Instances or free tier. Hourly figures are per hour, storage per GB-month.
 *
 * Sources (read 2026-11-27; see docs/cost.md for how far they are from a real bill):
 * - AWS Price List (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/index.json) and the
 *   service pricing pages: https://aws.amazon.com/ec2/pricing/on-demand/, /ebs/pricing/,
 *   /eks/pricing/, /vpc/pricing/ (NAT gateway, public IPv4), /elasticloadbalancing/pricing/,
 *   /rds/postgresql/pricing/, /elasticache/pricing/, /kms/pricing/, /secrets-manager/pricing/,
 *   /cloudwatch/pricing/, /s3/pricing/, /ecr/pricing/, /aws-cost-management/aws-budgets/pricing/.
 */

export interface AwsPriceTable {
    region: string;
    source: string;
    /** YYYY-MM-DD the table was read. */
    read: string;
    /** EC2 instance-hour by instance type (node groups). */
    ec2Hourly: Record<string, number>;
    /** EBS gp3 volume per GB-month (node root volumes, persistent volumes); baseline IOPS/throughput are included. */
    ebsGp3GbMonth: number;
    /** EKS cluster-hour in standard support. */
    eksClusterHourly: number;
    natGatewayHourly: number;
    natGatewayPerGb: number;
    /** Every public IPv4 address, attached or not (since 2024-02-01). */
    publicIpv4Hourly: number;
    nlbHourly: number;
    nlbLcuHourly: number;
    /** Interface VPC endpoints per AZ-hour; gateway endpoints (S3, DynamoDB) are free. */
    interfaceEndpointAzHourly: number;
    /** RDS for PostgreSQL single-AZ instance-hour by instance class. */
    rdsPostgresHourly: Record<string, number>;
    /** A Multi-AZ (one standby) instance and its storage cost this many times the single-AZ price. */
    rdsMultiAzFactor: number;
    /** RDS gp3 storage per GB-month, single-AZ. */
    rdsGp3GbMonth: number;
    /** Backup storage per GB-month beyond the free amount (the database's allocated storage), and for cross-region copies; plus their transfer per GB. */
    rdsBackupGbMonth: number;
    interRegionTransferPerGb: number;
    /** ElastiCache node-hour, Redis OSS engine, by node type. */
    elasticacheRedisHourly: Record<string, number>;
    /** ElastiCache for Valkey node-hours cost this fraction of Redis OSS ones. */
    elasticacheValkeyFactor: number;
    kmsKeyMonthly: number;
    secretMonthly: number;
    /** CloudWatch Logs ingestion per GB (standard class; VPC flow logs are "vended" logs at the same first-tier price). */
    logsIngestPerGb: number;
    s3StandardGbMonth: number;
    ecrGbMonth: number;
    /** Data transfer out to the internet per GB (first 10 TB tier). */
    internetEgressPerGb: number;
    /** A budget beyond the two free ones per payer account, per day. */
    budgetDaily: number;
}

const source = "AWS Price List API and aws.amazon.com/<service>/pricing pages (on-demand, Linux)";

/** N. Virginia: the reference table, and the prices Ohio and Oregon share for everything priced here. */
const usEast1: AwsPriceTable = {
    region: "us-east-1",
    source,
    read: "2026-11-27",
    ec2Hourly: {
        "t3.medium": 0.0416,
        "t3.large": 0.0832,
        "t3.xlarge": 0.1664,
        "t3a.large": 0.0752,
        "m5.large": 0.096,
        "m5.xlarge": 0.192,
        "m5.2xlarge": 0.384,
        "m6i.large": 0.096,
        "m6i.xlarge": 0.192,
        "m6i.2xlarge": 0.384,
        "m7i.large": 0.1008,
        "m7i.xlarge": 0.2016,
        "c5.xlarge": 0.17,
        "r5.xlarge": 0.252,
    },
    ebsGp3GbMonth: 0.08,
    eksClusterHourly: 0.1,
    natGatewayHourly: 0.045,
    natGatewayPerGb: 0.045,
    publicIpv4Hourly: 0.005,
    nlbHourly: 0.0225,
    nlbLcuHourly: 0.006,
    interfaceEndpointAzHourly: 0.01,
    rdsPostgresHourly: {
        "db.t3.micro": 0.018,
        "db.t3.small": 0.036,
        "db.t3.medium": 0.072,
        "db.t3.large": 0.145,
        "db.t4g.micro": 0.016,
        "db.t4g.small": 0.032,
        "db.t4g.medium": 0.065,
        "db.t4g.large": 0.129,
        "db.m5.large": 0.178,
        "db.m6g.large": 0.159,
        "db.m6i.large": 0.178,
        "db.m7g.large": 0.168,
        "db.r6g.large": 0.225,
        "db.r6i.large": 0.25,
    },
    rdsMultiAzFactor: 2,
    rdsGp3GbMonth: 0.115,
    rdsBackupGbMonth: 0.095,
    interRegionTransferPerGb: 0.02,
    elasticacheRedisHourly: {
        "cache.t4g.micro": 0.016,
        "cache.t4g.small": 0.032,
        "cache.t4g.medium": 0.065,
        "cache.t3.small": 0.034,
        "cache.t3.medium": 0.068,
        "cache.m6g.large": 0.149,
        "cache.m7g.large": 0.158,
        "cache.r6g.large": 0.206,
        "cache.r7g.large": 0.219,
        "cache.r6g.xlarge": 0.411,
    },
    elasticacheValkeyFactor: 0.8,
    kmsKeyMonthly: 1,
    secretMonthly: 0.4,
    logsIngestPerGb: 0.5,
    s3StandardGbMonth: 0.023,
    ecrGbMonth: 0.1,
    internetEgressPerGb: 0.09,
    budgetDaily: 0.02,
};

/** Ireland: EC2, RDS, ElastiCache, NAT and NLB about 10 % above N. Virginia. Approximate: the US rates with the regional uplift; re-read before relying on them. */
const euWest1: AwsPriceTable = {
    ...usEast1,
    region: "eu-west-1",
    ec2Hourly: {
        "t3.medium": 0.0456,
        "t3.large": 0.0912,
        "t3.xlarge": 0.1824,
        "t3a.large": 0.0816,
        "m5.large": 0.107,
        "m5.xlarge": 0.214,
        "m5.2xlarge": 0.428,
        "m6i.large": 0.107,
        "m6i.xlarge": 0.214,
        "m6i.2xlarge": 0.428,
        "m7i.large": 0.1124,
        "m7i.xlarge": 0.2247,
        "c5.xlarge": 0.192,
        "r5.xlarge": 0.282,
    },
    ebsGp3GbMonth: 0.088,
    natGatewayHourly: 0.048,
    natGatewayPerGb: 0.048,
    nlbHourly: 0.0252,
    rdsPostgresHourly: {
        "db.t3.micro": 0.019,
        "db.t3.small": 0.038,
        "db.t3.medium": 0.076,
        "db.t3.large": 0.152,
        "db.t4g.micro": 0.017,
        "db.t4g.small": 0.034,
        "db.t4g.medium": 0.068,
        "db.t4g.large": 0.136,
        "db.m5.large": 0.196,
        "db.m6g.large": 0.175,
        "db.m6i.large": 0.196,
        "db.m7g.large": 0.185,
        "db.r6g.large": 0.25,
        "db.r6i.large": 0.276,
    },
    rdsGp3GbMonth: 0.127,
    elasticacheRedisHourly: {
        "cache.t4g.micro": 0.018,
        "cache.t4g.small": 0.036,
        "cache.t4g.medium": 0.073,
        "cache.t3.small": 0.038,
        "cache.t3.medium": 0.076,
        "cache.m6g.large": 0.166,
        "cache.m7g.large": 0.176,
        "cache.r6g.large": 0.229,
        "cache.r7g.large": 0.243,
        "cache.r6g.xlarge": 0.458,
    },
    s3StandardGbMonth: 0.023,
};

/** Price tables by region. A region without one is priced at `awsReferenceRegion` and every item says so. */
export const awsPrices: Record<string, AwsPriceTable> = {
    "us-east-1": usEast1,
    "us-east-2": { ...usEast1, region: "us-east-2" },
    "us-west-2": { ...usEast1, region: "us-west-2" },
    "eu-west-1": euWest1,
};

export const awsReferenceRegion = "us-east-1";

/**
 * Types the program may declare that AWS does not bill by themselves: configuration, identity,
 * networking plumbing, or resources whose cost is counted on another one (a launch template's disk on
 * the node group, a flow log's volume on its log group, a secret version on its secret).
 */
export const awsFreeTypes: readonly string[] = [
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:ec2/flowLog:FlowLog",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    "aws:eks/addon:Addon",
    "aws:elasticache/subnetGroup:SubnetGroup",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:rds/parameterGroup:ParameterGroup",
    "aws:rds/subnetGroup:SubnetGroup",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    // The replica bucket is priced as a bucket; the copy's inter-region transfer is per GB of dumps (small, not modelled).
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    "aws:secretsmanager/secretVersion:SecretVersion",
];
