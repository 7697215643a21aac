import { spawnSync } from "child_process";
import { repoRoot } from "../../tools/engine/harness";

/**
 * Validates KEDA objects against the schemas of the published `@kubernetes-models/keda` package
 * (generated from KEDA's Go API types, github.com/kedacore/keda/v2/apis/keda/v1alpha1). The package is
 * ES modules only, which jest's CommonJS runtime cannot load, so one plain Node process validates a
 * whole batch. Returns one message per invalid object (empty when all are valid).
 */
export function kedaSchemaErrors(objects: { apiVersion: string; kind: string; metadata: unknown; spec: unknown }[]): string[] {
    const script = `
        import { ScaledObject, TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1";
        const models = { ScaledObject, TriggerAuthentication };
        let input = "";
        process.stdin.on("data", (c) => (input += c));
        process.stdin.on("end", () => {
            const errors = [];
            for (const object of JSON.parse(input)) {
                const Model = models[object.kind];
                if (!Model || object.apiVersion !== Model.apiVersion) { errors.push(object.kind + " " + object.apiVersion + ": no published schema"); continue; }
                try { new Model(object).validate(); } catch (e) { errors.push(object.kind + " " + (object.metadata && object.metadata.name) + ": " + e.message); }
            }
            process.stdout.write(JSON.stringify(errors));
        });`;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: repoRoot, input: JSON.stringify(objects), encoding: "utf8", timeout: 20000 });
    if (result.status !== 0) throw new Error(`schema validation did not run: ${result.stderr || result.error}`);
    return JSON.parse(result.stdout);
}
