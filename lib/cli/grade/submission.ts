/**
 * One student's submission on disk: finding it (a folder or a zip named by
 * or containing an 8-digit id), unpacking it under caps, and the static file
 * checks (required files, report pages, imports outside the standard
 * library, syntax newer than Python 3.6).
 *
 * @module
 */

import { pythonCommand } from "./python.ts";
import { join } from "node:path";
import { runBounded } from "./sandbox.ts";

/** One submission found in a submissions folder. */
export interface Submission {
  /** The 8-digit student id from its name. */
  studentId: number;
  /** The folder or zip file. */
  path: string;
  /** Whether it is a zip file. */
  zip: boolean;
}

/**
 * The submissions in folder `dir`: every entry whose name holds an 8-digit
 * number (the first one is the id), e.g. `20200000`,
 * `20200000.zip`, `20200000_Hong Gildong_assignsubmission_file_.zip`,
 * `Hong_20200000_practice2/`. Other entries are returned in `skipped`.
 *
 * @example
 * ```ts
 * import { findSubmissions } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.mkdirSync(`${dir}/20200000_Hong_assignsubmission_file_`);
 * Deno.writeTextFileSync(`${dir}/readme.txt`, "");
 * const { found, skipped } = findSubmissions(dir);
 * assert.equal(found[0]!.studentId, 20200000);
 * assert.deepEqual(skipped, ["readme.txt"]);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function findSubmissions(dir: string): { found: Submission[]; skipped: string[] } {
  const found: Submission[] = [];
  const skipped: string[] = [];
  for (const entry of [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name))) {
    const id = /(?<!\d)([1-9]\d{7})(?!\d)/.exec(entry.name)?.[1];
    const zip = entry.isFile && entry.name.toLowerCase().endsWith(".zip");
    if (id === undefined || !(entry.isDirectory || zip)) {
      skipped.push(entry.name);
      continue;
    }
    found.push({ studentId: Number(id), path: join(dir, entry.name), zip });
  }
  return { found, skipped };
}

/** Python, run in a bounded process, that unpacks a zip under caps (no zip-slip, no bombs). */
const UNZIP = `
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
MAX_FILES, MAX_TOTAL, MAX_ONE = 200, 64 << 20, 32 << 20
with zipfile.ZipFile(src) as z:
    infos = [i for i in z.infolist() if not i.is_dir()]
    if len(infos) > MAX_FILES: sys.exit("zip holds %d files (at most %d)" % (len(infos), MAX_FILES))
    if sum(i.file_size for i in infos) > MAX_TOTAL: sys.exit("zip unpacks to over 64 MiB")
    root = os.path.realpath(dst)
    for i in infos:
        if "__MACOSX" in i.filename: continue
        target = os.path.realpath(os.path.join(dst, i.filename))
        if not target.startswith(root + os.sep): sys.exit("zip entry escapes the folder: %r" % i.filename)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(i) as f, open(target, "wb") as out:
            left = min(i.file_size, MAX_ONE) + 1
            while True:
                chunk = f.read(min(65536, left))
                if not chunk: break
                left -= len(chunk)
                if left <= 0: sys.exit("zip entry larger than it claims: %r" % i.filename)
                out.write(chunk)
`;

/** Python that lists non-stdlib imports and syntax past 3.6 of each file given. */
const INSPECT = `
import ast, json, sys
out = {}
for path in sys.argv[1:]:
    src = open(path, "rb").read()
    info = {"external": [], "syntax": None, "newer": None}
    try:
        tree = ast.parse(src)
    except SyntaxError as e:
        info["syntax"] = "line %s: %s" % (e.lineno, e.msg)
        out[path] = info; continue
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import): names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module: names.add(node.module.split(".")[0])
    local = {n[:-3] for n in __import__("os").listdir(__import__("os").path.dirname(path) or ".") if n.endswith(".py")}
    info["external"] = sorted(n for n in names if n not in sys.stdlib_module_names and n not in local)
    try:
        ast.parse(src, feature_version=(3, 6))
    except SyntaxError as e:
        info["newer"] = "line %s: %s" % (e.lineno, e.msg)
    out[path] = info
print(json.dumps(out))
`;

/** The static checks of one unpacked submission. */
export interface FileChecks {
  /** The folder holding client.py, or `undefined` when there is none. */
  clientDir: string | undefined;
  /** The folder holding server.py, or `undefined` when there is none. */
  serverDir: string | undefined;
  /** Problems, one line each. */
  problems: string[];
}

function findFile(dir: string, name: string, depth = 0): string | undefined {
  if (depth > 3) return undefined;
  const entries = [...Deno.readDirSync(dir)];
  const hit = entries.find((e) => e.isFile && e.name === name);
  if (hit) return join(dir, hit.name);
  for (const e of entries) {
    if (e.isDirectory && e.name !== "__MACOSX") {
      const found = findFile(join(dir, e.name), name, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Pages of a PDF, counted from its `/Type /Page` objects.
 *
 * @example
 * ```ts
 * import { pdfPages } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * assert.equal(pdfPages(new TextEncoder().encode("<< /Type /Pages >> << /Type /Page >>")), 1);
 * ```
 */
export function pdfPages(bytes: Uint8Array): number {
  const text = new TextDecoder("latin1").decode(bytes);
  return [...text.matchAll(/\/Type\s*\/Page(?![a-zA-Z])/g)].length;
}

/**
 * Copies (or unpacks) `submission` into `scratch` and runs the static checks.
 *
 * @example
 * ```ts
 * import { prepareSubmission } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const [from, scratch] = [Deno.makeTempDirSync(), Deno.makeTempDirSync()];
 * Deno.writeTextFileSync(`${from}/client.py`, "print('hi')\n");
 * const checks = await prepareSubmission({ studentId: 20200000, path: from, zip: false }, scratch);
 * assert.deepEqual(checks.problems, ["missing server.py", "missing report.pdf"]);
 * assert.equal(checks.clientDir, scratch);
 * for (const dir of [from, scratch]) Deno.removeSync(dir, { recursive: true });
 * ```
 */
export async function prepareSubmission(
  submission: Submission,
  scratch: string,
): Promise<FileChecks> {
  const problems: string[] = [];
  if (submission.zip) {
    const run = runBounded(
      `${await pythonCommand()} -c`,
      [UNZIP, submission.path, scratch],
      scratch,
      {
        timeMs: 30_000,
      },
    );
    const end = await run.ended;
    if (end.code !== 0) {
      problems.push(`unzip failed: ${run.stderr().trim().split("\n").at(-1) ?? end.code}`);
      return { clientDir: undefined, serverDir: undefined, problems };
    }
  } else {
    await new Deno.Command("cp", { args: ["-r", `${submission.path}/.`, scratch] }).output();
  }
  const client = findFile(scratch, "client.py");
  const server = findFile(scratch, "server.py");
  const report = findFile(scratch, "report.pdf");
  if (!client) problems.push("missing client.py");
  if (!server) problems.push("missing server.py");
  if (!report) problems.push("missing report.pdf");
  else {
    const pages = pdfPages(await Deno.readFile(report));
    if (pages > 3) problems.push(`report.pdf has ${pages} pages (at most 3)`);
  }
  const files = [client, server].filter((f): f is string => f !== undefined);
  if (files.length > 0) {
    const run = runBounded(`${await pythonCommand()} -c`, [INSPECT, ...files], scratch, {
      timeMs: 30_000,
    });
    await run.ended;
    try {
      const found = JSON.parse(run.stdout()) as Record<
        string,
        { external: string[]; syntax: string | null; newer: string | null }
      >;
      for (const [path, info] of Object.entries(found)) {
        const name = path.split("/").at(-1);
        if (info.syntax) problems.push(`${name}: syntax error, ${info.syntax}`);
        if (info.external.length > 0) {
          problems.push(
            `${name}: imports outside the standard library: ${info.external.join(", ")}`,
          );
        }
        if (info.newer) problems.push(`${name}: syntax newer than Python 3.6, ${info.newer}`);
      }
    } catch {
      problems.push(`import check failed: ${run.stderr().trim().split("\n").at(-1) ?? ""}`);
    }
  }
  const dir = (file: string | undefined) => file?.slice(0, file.lastIndexOf("/"));
  return { clientDir: dir(client), serverDir: dir(server), problems };
}
