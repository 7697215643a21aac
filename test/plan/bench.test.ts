import { benchTargets, median } from "../../tools/bench";

describe("bench", () => {
    test("times both stacks on both clouds, GCP with its project and region", () => {
        expect(benchTargets.map((t) => `${t.stack}/${t.cloud}`).sort()).toEqual(["prod/aws", "prod/gcp", "staging/aws", "staging/gcp"]);
        for (const t of benchTargets.filter((t) => t.cloud === "gcp")) expect(t.config).toEqual(["ai-platform:cloud=gcp", "gcp:project=acme-agents", "gcp:region=us-central1"]);
    });

    test("reports the median, robust to one slow run", () => {
        expect(median([0.9, 5.0, 1.0, 1.1, 0.8])).toBe(1.0);
        expect(median([1, 2, 3, 10])).toBe(2.5);
    });
});
