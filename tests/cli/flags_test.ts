import assert from "node:assert/strict";
import fc from "../helpers/fast_check.ts";
import { flag, formatHelp, HELP_WIDTH, parseFlags, wrapText } from "../../lib/cli/mod.ts";

const flags = {
  host: flag.string({ description: "Host", value: "HOST", required: true }),
  port: flag.port({ description: "Port", required: true }),
  studentID: flag.string({ description: "Student id", value: "ID", required: true }),
};

Deno.test("parseFlags() names every missing required flag at once", () => {
  assert.throws(() => parseFlags(flags, []), {
    name: "UsageError",
    message: "Missing required flags --host, --port, --studentID",
  });
  assert.throws(() => parseFlags(flags, ["--host=a", "--port=1"]), {
    message: "Missing required flag --studentID",
  });
});

Deno.test("parseFlags() suggests the near flag for case, dash and spelling slips", () => {
  for (const given of ["--studentid", "--student-id", "--student_ID", "--studnetID=1"]) {
    assert.throws(() => parseFlags(flags, [given]), {
      message: new RegExp(
        `^Unknown flag ${given.split("=")[0]} \\(did you mean --studentID\\?\\)$`,
      ),
    });
  }
  assert.throws(() => parseFlags(flags, ["--prot=1"]), {
    message: "Unknown flag --prot (did you mean --port?)",
  });
  assert.throws(() => parseFlags(flags, ["--verbose"]), { message: "Unknown flag --verbose" });
});

Deno.test("formatHelp() wraps every line at 100 columns", () => {
  const long = "word ".repeat(60).trim();
  const help = formatHelp({
    usage: "demo [flags]",
    summary: long,
    flags: { port: flag.port({ description: long, default: 4000 }) },
    examples: ["demo --port=4000"],
    roles: long,
  });
  const lines = help.split("\n");
  assert.ok(lines.every((line) => line.length <= HELP_WIDTH), help);
  assert.ok(lines.filter((line) => line.includes("word")).length >= 9, help);
  assert.match(help, /--port=PORT\s+word/);
});

Deno.test("wrapText() keeps indents and long words", () => {
  assert.deepEqual(wrapText("  aa bb cc", 7), ["  aa bb", "  cc"]);
  assert.deepEqual(wrapText("abcdefghij k", 4), ["abcdefghij", "k"]);
});

Deno.test("parseFlags() reads any mix of --name=value, --name value and switches back exactly", () => {
  const spec = {
    name: flag.string({ description: "Any text" }),
    note: flag.string({ description: "Any text" }),
    once: flag.switch({ description: "A switch" }),
  };
  const value = fc.string({ minLength: 1, maxLength: 12 }); // a flag value may not be empty
  fc.assert(
    fc.property(
      fc.option(value, { nil: undefined }),
      fc.option(value, { nil: undefined }),
      fc.boolean(),
      fc.boolean(),
      (name, note, once, spaced) => {
        const args: string[] = [];
        for (const [flagName, text] of [["name", name], ["note", note]] as const) {
          if (text === undefined) continue;
          // A separate value may not start with a dash (that reads as a flag).
          if (spaced && text !== "" && !text.startsWith("-")) args.push(`--${flagName}`, text);
          else args.push(`--${flagName}=${text}`);
        }
        if (once) args.push("--once");
        assert.deepEqual(parseFlags(spec, args), { name, note, once });
      },
    ),
  );
});

Deno.test("parseFlags() turns any bad command line into one UsageError, never another error", () => {
  const spec = {
    port: flag.port({ description: "Port", default: 1 }),
    once: flag.switch({ description: "x" }),
  };
  const token = fc.oneof(
    fc.constantFrom(
      "--port",
      "--port=",
      "--port=80",
      "--once",
      "--once=1",
      "--",
      "-",
      "-p",
      "--Port",
    ),
    fc.string({ maxLength: 6 }),
  );
  fc.assert(
    fc.property(fc.array(token, { maxLength: 5 }), (args) => {
      try {
        parseFlags(spec, args);
      } catch (error) {
        assert.equal(
          (error as Error).name === "UsageError" || (error as Error).name === "UnknownFlagError",
          true,
          String(error),
        );
      }
    }),
  );
  assert.throws(() => parseFlags(spec, ["--port"]), { message: "Flag --port needs a value" });
  assert.throws(() => parseFlags(spec, ["--port", "--once"]), {
    message: "Flag --port needs a value",
  });
  assert.throws(() => parseFlags(spec, ["--once=yes"]), {
    message: "Option '--once' does not take an argument",
  });
  assert.throws(() => parseFlags(spec, ["80"]), {
    message: "Unexpected argument '80': every value goes in a flag",
  });
  assert.throws(() => parseFlags(spec, ["--", "x"]), { message: /^Unexpected argument 'x'/ });
  assert.throws(() => parseFlags(spec, ["-p"]), {
    name: "UnknownFlagError",
    message: "Unknown flag -p",
  });
  assert.deepEqual(parseFlags(spec, ["--port", "80", "--port=81"]), { port: 81, once: false });
});

Deno.test("flag.integers() parses whole numbers separated by commas, each within its range", () => {
  const flags = {
    counts: flag.integers({ description: "Counts", min: 1, max: 300, default: [16, 256] }),
  };
  assert.deepEqual(parseFlags(flags, []), { counts: [16, 256] });
  assert.deepEqual(parseFlags(flags, ["--counts=4"]), { counts: [4] });
  assert.deepEqual(parseFlags(flags, ["--counts", "1,300,2"]), { counts: [1, 300, 2] });
  for (const bad of ["0", "1,", ",1", "1,,2", "1.5", "301", "a,b", "-1"]) {
    assert.throws(() => parseFlags(flags, [`--counts=${bad}`]), {
      name: "UsageError",
      message: /^--counts must be a whole number from 1 to 300, got '/,
    }, bad);
  }
  assert.match(
    formatHelp({ usage: "x", summary: "y", flags, examples: [] }),
    /--counts=N,N +Counts \(default: 16,256\)/,
  );
  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1 }), (counts) => {
    assert.deepEqual(parseFlags(flags, [`--counts=${counts.join(",")}`]).counts, counts);
  }));
});
