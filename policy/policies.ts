import type { EnforcementLevel, Policies } from "@pulumi/policy";
import type { PolicyDefinition } from "./lib/define";
import { awsPolicies } from "./rules/aws";
import { gatewayPolicies } from "./rules/gateway";
import { costPolicies } from "./rules/cost";
import { tenantPolicies } from "./rules/tenants";
import { gcpPolicies } from "./rules/gcp";
import { kubernetesPolicies } from "./rules/kubernetes";
import { llmGatewayPolicies } from "./rules/llmGateway";
import { stackPolicies } from "./rules/stack";

/**
 * The pack's policies, apart from the `PolicyPack` that serves them: `index.ts` hands `policies` to
 * the pack, while tests and the offline plan run them through `evaluate.ts`.
 */

export const packName = "ai-platform-security";

/**
 * The level of every policy unless the pack config (`policy/config/<env>.json`) says otherwise:
 * prod's strictness is the default, and staging's config relaxes what the seeds allow.
 */
export const packEnforcementLevel: EnforcementLevel = "mandatory";

/** Every policy with its catalogue data (category, resources, checks, seed item) for the docs. */
export const definitions: PolicyDefinition[] = [...awsPolicies, ...gcpPolicies, ...kubernetesPolicies, ...gatewayPolicies, ...tenantPolicies, ...llmGatewayPolicies, ...stackPolicies, ...costPolicies];

export const policies: Policies = definitions.map((d) => d.policy);

const duplicates = policies.map((p) => p.name).filter((name, i, all) => all.indexOf(name) !== i);
if (duplicates.length > 0) throw new Error(`duplicate policy names: ${duplicates.join(", ")}`);
