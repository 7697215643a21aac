import type { Cloud } from "../workloads/run";

/** Two tenants per cloud, with each principal form the cloud accepts and quotas in different spellings. */
export const twoTenants: Record<Cloud, { name: string; principal: string; quota: { cpu: string; memory: string; pods: number | string } }[]> = {
    aws: [
        { name: "team-a", principal: "arn:aws:iam::123456789012:role/team-a-deployer", quota: { cpu: "4", memory: "8Gi", pods: 20 } },
        { name: "team-b", principal: "arn:aws:iam::123456789012:role/teams/team-b", quota: { cpu: "2500m", memory: "4096Mi", pods: "10" } },
    ],
    gcp: [
        { name: "team-a", principal: "group:team-a@example.com", quota: { cpu: "4", memory: "8Gi", pods: 20 } },
        { name: "team-b", principal: "serviceAccount:team-b-deployer@acme-teams.iam.gserviceaccount.com", quota: { cpu: "2500m", memory: "4096Mi", pods: "10" } },
    ],
};

export const withTenants = (cloud: Cloud) => ({ "ai-platform:tenants": twoTenants[cloud] });
