import assert from "node:assert/strict";
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
