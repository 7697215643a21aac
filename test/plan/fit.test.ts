import { defaultWidth, displayType, elideEnd, elideMiddle, minimumWidth, terminalWidth, wrap } from "../../tools/plan/fit";

describe("the width the plan lays out for", () => {
    test("a terminal's own width wins; COLUMNS when stdout is a pipe or file; else 100", () => {
        expect(terminalWidth({ isTTY: true, columns: 132 }, { COLUMNS: "80" })).toBe(132);
        expect(terminalWidth({ isTTY: false }, { COLUMNS: "80" })).toBe(80);
        expect(terminalWidth({}, {})).toBe(defaultWidth);
        expect(defaultWidth).toBe(100);
        expect(terminalWidth({ isTTY: false }, { COLUMNS: "wide" })).toBe(100);
        expect(terminalWidth({ isTTY: false }, { COLUMNS: "0" })).toBe(100);
    });

    test("never narrower than what stays readable", () => {
        expect(terminalWidth({ isTTY: false }, { COLUMNS: "12" })).toBe(minimumWidth);
        expect(terminalWidth({ isTTY: true, columns: 20 }, {})).toBe(minimumWidth);
    });
});

describe("eliding and wrapping", () => {
    test("elision keeps text that fits and cuts the rest to exactly the width, marked", () => {
        expect(elideEnd("short", 10)).toBe("short");
        expect(elideEnd("a-long-output-value", 10)).toBe("a-long-ou…");
        const name = "ai-platform-network-private-rt-2";
        expect(elideMiddle(name, name.length)).toBe(name);
        for (const width of [5, 9, 12, 20]) {
            const cut = elideMiddle(name, width);
            expect(cut).toHaveLength(width);
            expect(cut).toContain("…");
        }
        expect(elideMiddle(name, 20).endsWith("private-rt-2")).toBe(true);
    });

    test("wrapping keeps every word, indents continuations and never exceeds the width", () => {
        const text = "Replication group ai-platform-cache-redis has no automatic failover (automaticFailoverEnabled is false).";
        for (const width of [40, 60, 100]) {
            const lines = wrap(text, width, "    ", "      ");
            for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
            expect(lines[0].startsWith("    ") && !lines[0].startsWith("     ")).toBe(true);
            for (const line of lines.slice(1)) expect(line.startsWith("      ")).toBe(true);
            expect(lines.map((l) => l.trim()).join(" ")).toBe(text);
        }
        expect(wrap("a-word-longer-than-any-line-could-hold", 20, "  ")).toEqual(["  a-word-longer-tha…"]);
    });

    test("type tokens shorten as `pulumi preview` shows them, only where the module repeats the name", () => {
        expect(displayType("aws:ec2/vpc:Vpc")).toBe("aws:ec2:Vpc");
        expect(displayType("aws:ec2/routeTableAssociation:RouteTableAssociation")).toBe("aws:ec2:RouteTableAssociation");
        expect(displayType("gcp:container/nodePool:NodePool")).toBe("gcp:container:NodePool");
        expect(displayType("kubernetes:apps/v1:Deployment")).toBe("kubernetes:apps/v1:Deployment");
        expect(displayType("ai-platform:aws:Network")).toBe("ai-platform:aws:Network");
        expect(displayType("pulumi:providers:kubernetes")).toBe("pulumi:providers:kubernetes");
    });
});
