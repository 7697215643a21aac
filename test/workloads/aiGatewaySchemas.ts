import * as fs from "fs";
import * as path from "path";
import Ajv, { type ValidateFunction } from "ajv";
import YAML from "yaml";

/**
 * Validates Envoy AI Gateway objects against the openAPIV3Schema of the CRDs of the pinned release
 * (test/fixtures/envoy-ai-gateway-v1.1.0, copied unchanged from the v1.1.0 tag). The API server prunes
 * fields a structural schema does not declare, so a misspelt field would vanish silently: here every
 * object schema that declares properties (and does not preserve unknown fields) refuses others.
 * CEL rules (`x-kubernetes-validations`) are the API server's and are not evaluated.
 */
const fixtures = path.join(__dirname, "../fixtures/envoy-ai-gateway-v1.1.0");

type Schema = Record<string, unknown>;
function closed(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map(closed);
    if (!schema || typeof schema !== "object") return schema;
    const out: Schema = {};
    for (const [k, v] of Object.entries(schema as Schema)) out[k] = k === "properties" ? Object.fromEntries(Object.entries(v as Schema).map(([p, s]) => [p, closed(s)])) : closed(v);
    if (out.properties && out.additionalProperties === undefined && !out["x-kubernetes-preserve-unknown-fields"]) out.additionalProperties = false;
    return out;
}

let validators: Map<string, ValidateFunction> | undefined;
function load(): Map<string, ValidateFunction> {
    if (validators) return validators;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    validators = new Map();
    for (const file of fs.readdirSync(fixtures).filter((f) => f.endsWith(".yaml"))) {
        for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(fixtures, file), "utf8"))) {
            const crd = doc.toJSON();
            if (crd?.kind !== "CustomResourceDefinition") continue;
            for (const version of crd.spec.versions) {
                if (!version.served) continue;
                const schema = closed(version.schema.openAPIV3Schema) as Schema;
                // metadata is the API server's ObjectMeta, not the CRD's to declare.
                (schema.properties as Schema).metadata = { type: "object" };
                validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile(schema));
            }
        }
    }
    return validators;
}

/** The kinds (`group/version/Kind`) the fixtures define. */
export function aiGatewayKinds(): string[] {
    return [...load().keys()];
}

/** Problems of one object against its CRD: empty when valid. */
export function aiGatewaySchemaErrors(object: { apiVersion: string; kind: string; [field: string]: unknown }): string[] {
    const validate = load().get(`${object.apiVersion}/${object.kind}`);
    if (!validate) return [`no CRD for ${object.apiVersion} ${object.kind} in the v1.1.0 fixtures`];
    if (validate(object)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`);
}
