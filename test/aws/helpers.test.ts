import { recoveryRegion, recoveryRegionPairs } from "../../components/aws/backupReplication";
import { redisParameterGroup } from "../../components/aws/cache";
import { amiTypeFor, eksKubeconfig } from "../../components/aws/cluster";
import { irsaTrustPolicy } from "../../components/aws/iam";
import { subnetCidrs } from "../../components/aws/network";
import { keepNewestImages } from "../../components/aws/registry";
import { dailyWindow, weeklyWindow } from "../../components/aws/windows";
import { resolved } from "./support";

describe("subnet ranges", () => {
    test("never overlap and stay inside the VPC range", () => {
        for (const [cidr, zones] of [
            ["10.0.0.0/16", 3],
            ["10.8.0.0/14", 3],
            ["192.168.0.0/20", 2],
        ] as const) {
            const { private: priv, public: pub } = subnetCidrs(cidr, zones);
            const range = (c: string) => {
                const [ip, bits] = c.split("/");
                const start = ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
                return [start, start + 2 ** (32 - Number(bits))] as const;
            };
            const [vpcStart, vpcEnd] = range(cidr);
            const all = [...priv, ...pub].map(range).sort((a, b) => a[0] - b[0]);
            expect(all).toHaveLength(zones * 2);
            for (const [s, e] of all) expect(s >= vpcStart && e <= vpcEnd).toBe(true);
            for (let i = 1; i < all.length; i++) expect(all[i][0]).toBeGreaterThanOrEqual(all[i - 1][1]);
        }
    });
});

describe("maintenance windows", () => {
    test("backup window is daily, maintenance is weekly and after it", () => {
        expect(dailyWindow("03:00", 30)).toBe("03:00-03:30");
        expect(weeklyWindow("03:00", 60, 60)).toBe("sun:04:00-sun:05:00");
    });

    test("windows wrap across midnight and into the next day", () => {
        expect(dailyWindow("23:45", 30)).toBe("23:45-00:15");
        expect(weeklyWindow("23:30", 60, 60)).toBe("mon:00:30-mon:01:30");
        expect(weeklyWindow("22:30", 60, 60)).toBe("sun:23:30-mon:00:30");
    });
});

describe("recovery region", () => {
    test("the documented pairings, and an explicit region wins", () => {
        expect(recoveryRegion("us-east-1", undefined)).toBe("us-west-2");
        expect(recoveryRegion("us-west-2", undefined)).toBe("us-east-1");
        expect(recoveryRegion("eu-west-1", undefined)).toBe("eu-central-1");
        expect(recoveryRegion("us-east-1", "ca-central-1")).toBe("ca-central-1");
    });

    test("no pairing points back at its own region", () => {
        for (const [from, to] of Object.entries(recoveryRegionPairs)) expect(to).not.toBe(from);
    });

    // Unpaired regions without backup.region, and ranges AWS cannot carve, are refused by the settings: test/stacks/validation.test.ts.
});

describe("small builders", () => {
    test("Graviton families get the arm64 AMI, others x86_64", () => {
        expect(["m7g.large", "c6gn.xlarge", "t4g.medium", "r8g.2xlarge"].map(amiTypeFor)).toEqual(Array(4).fill("AL2023_ARM_64_STANDARD"));
        expect(["m5.xlarge", "t3.large", "c7i.large", "g5.xlarge", "m7a.large"].map(amiTypeFor)).toEqual(Array(5).fill("AL2023_x86_64_STANDARD"));
    });

    test("Redis parameter group family follows the major version", () => {
        expect(redisParameterGroup("7.1")).toBe("default.redis7");
        expect(redisParameterGroup("7")).toBe("default.redis7");
    });

    test("the ECR lifecycle keeps exactly the newest N images", () => {
        expect(JSON.parse(keepNewestImages(12)).rules).toEqual([
            expect.objectContaining({ selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 12 }, action: { type: "expire" } }),
        ]);
    });

    test("IRSA trust for one subject is a single string condition", async () => {
        const trust = JSON.parse(await resolved<string>(irsaTrustPolicy("arn:aws:iam::1:oidc-provider/oidc.example/id/X", "https://oidc.example/id/X", ["system:serviceaccount:a:b"])));
        expect(trust.Statement[0].Condition.StringEquals).toEqual({ "oidc.example/id/X:sub": "system:serviceaccount:a:b", "oidc.example/id/X:aud": "sts.amazonaws.com" });
    });

    test("the kubeconfig execs `aws eks get-token` for its cluster and region, with no credentials", async () => {
        const config = JSON.parse(await resolved<string>(eksKubeconfig({ clusterName: "c1", endpoint: "https://x", certificateAuthority: "Q0E=", region: "eu-west-1" })));
        expect(config["current-context"]).toBe("c1");
        expect(config.users[0].user).toEqual({ exec: expect.objectContaining({ command: "aws", args: ["eks", "get-token", "--cluster-name", "c1", "--region", "eu-west-1", "--output", "json"] }) });
    });
});
