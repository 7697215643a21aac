import { environmentDefaults } from "../../stacks";
import { validateSettings } from "../../stacks/validate";
import { stackConfig } from "../../tools/engine/harness";

/** The plan validates one configuration several times; an accepted one is checked once and handed out as independent copies. */
describe("validateSettings of an accepted configuration", () => {
    // The prod stack file as the engine hands it over, secrets included.
    const { config, secretKeys } = stackConfig({ stack: "prod" });
    const values = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    const engine = { project: "ai-platform", stack: "prod", values, secretKeys: [...secretKeys] };

    it("gives equal settings each time, as copies a caller cannot change for the next one", () => {
        const first = validateSettings(engine);
        expect(first.problems).toEqual([]);
        first.settings!.api.minReplicas = 99;
        // The same configuration in another key order is the same configuration.
        const second = validateSettings({ ...engine, values: Object.fromEntries(Object.entries(values).reverse()) });
        expect(second.settings!.api.minReplicas).toBe(environmentDefaults.prod.api.minReplicas);
        expect(second.settings).not.toBe(first.settings);
    });

    it("checks a changed or refused configuration afresh", () => {
        const changed = validateSettings({ ...engine, values: { ...engine.values, "ai-platform:owner": "search-team" } });
        expect(changed.settings!.owner).toBe("search-team");
        const refused = { ...engine, values: { ...engine.values, "ai-platform:owner": "Search Team!" } };
        expect(validateSettings(refused).problems.map((p) => p.key)).toContain("ai-platform:owner");
        expect(validateSettings(refused).problems.map((p) => p.key)).toContain("ai-platform:owner");
    });
});
