import type { ResourceValidation } from "@pulumi/policy";
import { read } from "./values";

/**
 * `protect` on stateful resources, cloud-neutral: the cloud modules pass the type tokens of the
 * resources whose deletion loses data. `protect` is a resource option the program sets, so it is
 * always known at preview. Buckets (`forceDestroyTypes`) must also not be `forceDestroy`: that empties
 * them on delete, so the bucket goes with its data the moment protection is lifted.
 */
export function requireProtect(statefulTypes: Readonly<Record<string, string>>, forceDestroyTypes: readonly string[] = []): ResourceValidation {
    return (args, report) => {
        const what = statefulTypes[args.type];
        if (what === undefined) return;
        if (!args.opts.protect) report(`${what} "${args.name}" holds state but is not protected (resource option protect is false): a \`pulumi destroy\` or a replacement would delete its data.`);
        if (forceDestroyTypes.includes(args.type) && read(() => args.props.forceDestroy) === true)
            report(`${what} "${args.name}" is force-destroyed (forceDestroy is true): deleting it deletes every object in it.`);
    };
}
