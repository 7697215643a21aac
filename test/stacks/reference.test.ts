import * as fs from "fs";
import * as path from "path";
import { configReference, renderConfigTable, settingsSchema, tableMarkers } from "../../stacks";

/** Every leaf of the settings schema, as a dotted path. */
function schemaLeaves(shape: Record<string, any>, prefix = ""): string[] {
    return Object.entries(shape).flatMap(([key, field]) => {
        const path = prefix ? `${prefix}.${key}` : key;
        return field?.shape ? schemaLeaves(field.shape, path) : [path];
    });
}

describe("the config reference", () => {
    const rows = configReference();

    test("lists every setting of the schema, once", () => {
        const keys = rows.map((r) => r.key);
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys).toEqual(expect.arrayContaining(schemaLeaves(settingsSchema.shape)));
    });

    test("describes every setting", () => {
        const undescribed = rows.filter((r) => !r.meaning || r.meaning.endsWith(": ")).map((r) => r.key);
        expect(undescribed).toEqual([]);
    });

    test("shows the staging/prod differences the defaults make", () => {
        const row = (key: string) => rows.find((r) => r.key === key)!;
        expect(row("database.backupRetentionDays")).toMatchObject({ staging: "`7`", prod: "`30`" });
        expect(row("cluster.machineType").prod).toBe("aws `m5.xlarge`, gcp `n2-standard-4`");
    });

    test("is what docs/configuration.md shows (run `npm run docs` after changing settings)", () => {
        const doc = fs.readFileSync(path.join(__dirname, "../../docs/configuration.md"), "utf8");
        expect(doc).toContain(tableMarkers.begin);
        const table = doc.slice(doc.indexOf(tableMarkers.begin) + tableMarkers.begin.length, doc.indexOf(tableMarkers.end)).trim();
        expect(table).toBe(renderConfigTable());
    });
});
