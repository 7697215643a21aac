import { googleGroupDomains, googlePrincipal, type TenantSettings } from "../../stacks/tenants";
import type { RbacSubject } from "../contract";

/**
 * GKE authenticates Google identities itself, so a tenant's RoleBinding names the identity directly:
 * a Google group as a `Group` (Google Groups for RBAC), a user or a service account as a `User` whose
 * name is its e-mail address. No cloud resource is needed per tenant.
 */
export function gkeTenantSubjects(tenant: TenantSettings): RbacSubject[] {
    const group = googlePrincipal.group.exec(tenant.principal);
    if (group) return [{ kind: "Group", name: group[1], apiGroup: "rbac.authorization.k8s.io" }];
    const email = tenant.principal.slice(tenant.principal.indexOf(":") + 1);
    return [{ kind: "User", name: email, apiGroup: "rbac.authorization.k8s.io" }];
}

/**
 * Google Groups for RBAC: GKE resolves a user's groups only below `gke-security-groups@<domain>`, the
 * Workspace group the tenants' groups must be members of. Set only when a tenant is a group (the
 * settings allow one domain); undefined keeps the cluster as it is.
 */
export function rbacSecurityGroup(tenants: TenantSettings[]): string | undefined {
    const [domain] = googleGroupDomains(tenants);
    return domain ? `gke-security-groups@${domain}` : undefined;
}
