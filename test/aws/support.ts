import type { AwsFoundation } from "../../components/aws/foundation";
import { runProgram, type ProgramRun, type RecordedResource, type RunOptions } from "../../tools/engine/harness";

/**
 * Runs the real program (`index.ts`) and also hands back the `AwsFoundation` it built, so tests can
 * read the contract the layers above receive, not only the stack outputs. The foundation module is
 * swapped for a subclass that records each instance; everything else is the real code.
 */
export async function runWithFoundation(options: RunOptions): Promise<{ run: ProgramRun; foundation: AwsFoundation }> {
    const built: AwsFoundation[] = [];
    jest.doMock("../../components/aws/foundation", () => {
        const actual = jest.requireActual("../../components/aws/foundation");
        class RecordedFoundation extends actual.AwsFoundation {
            constructor(...args: ConstructorParameters<typeof AwsFoundation>) {
                super(...args);
                built.push(this as unknown as AwsFoundation);
            }
        }
        return { ...actual, AwsFoundation: RecordedFoundation };
    });
    try {
        const run = await runProgram({ ...options, reuse: false });
        if (built.length !== 1) throw new Error(`expected the program to build one AwsFoundation, it built ${built.length}`);
        return { run, foundation: built[0] };
    } finally {
        jest.dontMock("../../components/aws/foundation");
    }
}

/** The resolved value of an Output (or plain value) after a mock run. */
export async function resolved<T>(value: unknown): Promise<T> {
    const v = value as { promise?: () => Promise<T> };
    return typeof v?.promise === "function" ? v.promise() : (value as T);
}

export async function isSecret(value: unknown): Promise<boolean> {
    const v = value as { isSecret?: Promise<boolean> };
    return v?.isSecret ? await v.isSecret : false;
}

/** Parses a JSON policy document input. */
export const doc = (r: RecordedResource, key: string) => JSON.parse(r.inputs[key]);

/** The one resource of `type` whose logical name ends with `suffix`. */
export function named(run: ProgramRun, type: string, suffix: string): RecordedResource {
    return run.one(type, new RegExp(`${suffix.replace(/[-/\\^$*+?.()|[\]{}]/g, "\\$&")}$`));
}
