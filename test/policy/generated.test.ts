import * as fs from "fs";
import * as path from "path";
import { generatedDir, renderAws, renderGcp } from "../../policy/tools/generateTaggable";
import { catalogFiles, renderTable, tableEnd, tableStart } from "../../policy/tools/catalog";

/** Generated files must match the pinned SDKs and the policy definitions; rerun the tools when these fail. */
describe("generated artefacts are up to date", () => {
    it("the taggable/labelled type lists match the pinned @pulumi/aws and @pulumi/gcp", () => {
        expect(fs.readFileSync(path.join(generatedDir, "awsTaggable.ts"), "utf8")).toBe(renderAws());
        expect(fs.readFileSync(path.join(generatedDir, "gcpLabelled.ts"), "utf8")).toBe(renderGcp());
    });

    it("the lists hold what the governance policies rely on", () => {
        const aws = renderAws();
        for (const t of ["aws:rds/instance:Instance", "aws:s3/bucket:Bucket", "aws:eks/cluster:Cluster", "aws:elasticache/replicationGroup:ReplicationGroup"]) expect(aws).toContain(`"${t}"`);
        expect(aws).not.toContain('"aws:ec2/securityGroupRule:SecurityGroupRule"');
        expect(aws).not.toContain('"aws:autoscaling/group:Group"'); // its tags are a list, not a map
        const gcp = renderGcp();
        expect(gcp).toContain('"gcp:container/cluster:Cluster": "resourceLabels"');
        expect(gcp).toContain('"gcp:storage/bucket:Bucket": "labels"');
        expect(gcp).toContain('"gcp:monitoring/notificationChannel:NotificationChannel": "userLabels"');
    });

    it.each(catalogFiles.map((f) => path.relative(path.join(__dirname, "../.."), f)))(
        "%s's policy table matches the policies and config files (node -r ts-node/register/transpile-only policy/tools/catalog.ts)",
        (file) => {
            const doc = fs.readFileSync(path.join(__dirname, "../..", file), "utf8");
            expect(doc).toContain(tableStart);
            const section = doc.slice(doc.indexOf(tableStart), doc.indexOf(tableEnd) + tableEnd.length);
            expect(section).toBe(renderTable());
        },
    );
});
