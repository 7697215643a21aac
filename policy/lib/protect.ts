import type { ResourceValidation } from "@pulumi/policy";

/**
 * `protect` on stateful resources, cloud-neutral: the cloud modules pass the type tokens of the
 * resources whose deletion loses data. `protect` is a resource option the program sets, so it is
 * always known at preview.
 */
export function requireProtect(statefulTypes: Readonly<Record<string, string>>): ResourceValidation {
    return (args, report) => {
        const what = statefulTypes[args.type];
        if (what === undefined) return;
        if (!args.opts.protect) report(`${what} "${args.name}" holds state but is not protected (resource option protect is false): a \`pulumi destroy\` or a replacement would delete its data.`);
    };
}
