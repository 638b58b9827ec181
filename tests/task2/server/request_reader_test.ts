import assert from "node:assert/strict";
import fc from "../../helpers/fast_check.ts";
import { ByteSource } from "../../../lib/net/byte_source.ts";
import { type Framing, KEYWORDS, RequestReader } from "../../../lib/task2/server/request_reader.ts";
import { showBytes } from "../../../lib/net/peer_text.ts";

/** A step of a scripted peer: bytes to send, or a pause in milliseconds. */
type Step = string | Uint8Array | number;

/** A byte stream that plays `steps`, then ends, or stays open if `open`. */
function scripted(steps: readonly Step[], open = false): ReadableStream<Uint8Array> {
  const queue = [...steps];
  return new ReadableStream({
    type: "bytes",
    async pull(controller) {
      for (;;) {
        const step = queue.shift();
        if (step === undefined) {
          if (!open) {
            controller.close();
            controller.byobRequest?.respond(0); // ends a pending BYOB read
          }
          return;
        }
        if (typeof step === "number") {
          await new Promise((resolve) => setTimeout(resolve, step));
          continue;
        }
        const bytes = typeof step === "string" ? new TextEncoder().encode(step) : step;
        if (bytes.length > 0) {
          controller.enqueue(bytes.slice());
          return;
        }
      }
    },
  });
}

function reader(
  steps: readonly Step[],
  open = false,
  gapMs = 20,
  idleMs = 2000,
  framing: Framing = "writes",
) {
  return new RequestReader(new ByteSource(scripted(steps, open)), { gapMs, idleMs, framing });
}

function oneByteWrites(text: string): string[] {
  return text.split("");
}

Deno.test("ByteSource.wait() keeps its read pending across a quiet result", async () => {
  const source = new ByteSource(scripted(["a", 60, "b"]));
  assert.equal(await source.wait(100), "data");
  source.take();
  assert.equal(await source.wait(5), "quiet");
  assert.equal(await source.wait(5000), "data");
  assert.equal(String.fromCharCode(source.take()), "b");
  assert.equal(await source.wait(100), "eof");
});

Deno.test("readKeyword() recognizes every keyword in any letter case", async () => {
  const words = ["FIBONACCI", "factorial", "File", "word_count", "CoMpLeTe"];
  const r = reader([words.join(" ")]);
  for (const word of words) assert.equal(await r.readKeyword(), word.toUpperCase());
  assert.equal(await r.readKeyword(), null);
});

Deno.test("readKeyword() recognizes keywords sent one byte per write", async () => {
  const r = reader(oneByteWrites("FACTORIAL\nCOMPLETE"));
  assert.equal(await r.readKeyword(), "FACTORIAL");
  assert.equal(await r.readKeyword(), "COMPLETE");
});

Deno.test("readKeyword() waits out a pause in the middle of a keyword", async () => {
  const r = reader(["FIBO", 60, "NACCI"], false, 10);
  assert.equal(await r.readKeyword(), "FIBONACCI");
});

Deno.test("readKeyword() rejects an unknown word at its first impossible byte", async () => {
  const r = reader(["HELLO world"]);
  await assert.rejects(r.readKeyword(), {
    name: "RequestError",
    message: `Unknown request 'HELLO', expected ${KEYWORDS.join(", ")}`,
  });
  const s = reader(["FIX"], true);
  await assert.rejects(s.readKeyword(), {
    name: "RequestError",
    message: /^Unknown request 'FIX'/,
  });
  // Quoted as sent: the letters matched without case are not upper-cased.
  await assert.rejects(reader(["fibonachi"]).readKeyword(), {
    message: /^Unknown request 'fibonachi'/,
  });
});

Deno.test("readKeyword() reports a stream that ends inside a keyword as truncated", async () => {
  await assert.rejects(reader(["FIBON"]).readKeyword(), { name: "TruncatedError" });
});

Deno.test("readKeyword() times out when no request comes", async () => {
  await assert.rejects(reader([], true, 5, 30).readKeyword(), {
    name: "TimeoutError",
    message: "Timed out after 30 ms waiting for a request",
  });
});

function cut(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((at) => at % text.length))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const point of [...points, text.length]) {
    pieces.push(text.slice(start, point));
    start = point;
  }
  return pieces;
}

Deno.test("readNumber() ends a number at the end of the client's write", async () => {
  const r = reader(["FIBONACCI", "12", "FACTORIAL 3", "FILE", "5"]);
  assert.equal(await r.readKeyword(), "FIBONACCI");
  assert.equal(await r.readNumber("n"), 12);
  assert.equal(await r.readKeyword(), "FACTORIAL");
  assert.equal(await r.readNumber("n"), 3);
  assert.equal(await r.readKeyword(), "FILE");
  assert.equal(await r.readNumber("n"), 5);
  assert.equal(r.splitsWrites, false);
});

Deno.test("readNumber() reads a number however it is split once a keyword was split", () =>
  fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 999_999_999_999_999 }),
      fc.integer({ min: 1, max: 8 }),
      fc.array(fc.nat(20), { maxLength: 6 }),
      async (n, keywordCut, cuts) => {
        const r = reader(
          [
            "FIBONACCI".slice(0, keywordCut),
            "FIBONACCI".slice(keywordCut),
            ...cut(`${n}`, cuts),
            30,
            "X",
          ],
          false,
          10,
        );
        assert.equal(await r.readKeyword(), "FIBONACCI");
        assert.equal(r.splitsWrites, true);
        assert.equal(await r.readNumber("n"), n);
        // Read on past the pause, so the scripted peer has no timer left.
        await assert.rejects(r.readKeyword(), { message: /^Unknown request 'X'/ });
      },
    ),
    { numRuns: 30 },
  ));

Deno.test("readNumber() with pauses framing reads any number however it is split, up to a non-digit", () =>
  fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 999_999_999_999_999 }),
      fc.stringMatching(/^[ \t\r\n]{0,3}$/),
      fc.array(fc.nat(20), { maxLength: 6 }),
      async (n, space, cuts) => {
        const text = `${space}${n}X`;
        const r = reader(cut(text, cuts), false, 20, 2000, "pauses");
        assert.equal(await r.readNumber("n"), n);
        assert.equal(
          await r.readKeyword().catch((error) => error.message), // X is left unread
          `Unknown request 'X', expected ${KEYWORDS.join(", ")}`,
        );
      },
    ),
    { numRuns: 60 },
  ));

Deno.test("readNumber() ends a number at a quiet gap and keeps what follows", async () => {
  const r = reader(["FIBONACCI", "4", 80, "2FACTORIAL3"], false, 10);
  assert.equal(await r.readKeyword(), "FIBONACCI");
  assert.equal(await r.readNumber("n"), 4);
  assert.equal(await r.readNumber("n"), 2);
  assert.equal(await r.readKeyword(), "FACTORIAL");
});

Deno.test("readNumber() reads a number sent one byte per write, like its keyword", async () => {
  const r = reader([...oneByteWrites("FILE12345"), "a"]);
  assert.equal(await r.readKeyword(), "FILE");
  assert.equal(await r.readNumber("FILE length"), 12345);
});

Deno.test("readNumber() rejects negative, non-numeric and over-long numbers", async () => {
  await assert.rejects(reader(["-5\n"]).readNumber("FIBONACCI n"), {
    name: "RequestError",
    message: "FIBONACCI n must not be negative, got '-5'",
  });
  await assert.rejects(reader([" abc"]).readNumber("FACTORIAL n"), {
    name: "RequestError",
    message: "FACTORIAL n must be a decimal number, got 'abc'",
  });
  await assert.rejects(reader(["1234567890123456"]).readNumber("FILE length"), {
    name: "RequestError",
    message: "FILE length must have at most 15 digits, got more",
  });
});

Deno.test("readNumber() reports an end of stream as truncated", async () => {
  await assert.rejects(reader([]).readNumber("n"), { name: "TruncatedError" });
  const pauses = reader(["12"], false, 20, 2000, "pauses");
  await assert.rejects(pauses.readNumber("n"), { name: "TruncatedError" });
});

Deno.test("readName() reads to the end of the client's write or a line feed", async () => {
  const decode = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes!);
  const r = reader([" Client3 ", "FIBONACCI"], true);
  assert.equal(decode(await r.readName(256)), "Client3");
  assert.equal(await r.readKeyword(), "FIBONACCI");
  const s = reader(["\nClient1\nfactorial"], true);
  assert.equal(decode(await s.readName(256)), "Client1");
  assert.equal(await s.readKeyword(), "FACTORIAL");
});

Deno.test("readName() with pauses framing reads until the client pauses and trims whitespace", async () => {
  const r = reader(oneByteWrites("Client3 "), true, 20, 2000, "pauses");
  assert.equal(new TextDecoder().decode((await r.readName(256))!), "Client3");
});

Deno.test("readName() returns null at once-closed streams and rejects bad names", async () => {
  assert.equal(await reader([]).readName(256), null);
  await assert.rejects(reader([" \r\n"], true).readName(256), {
    name: "RequestError",
    message: "Client name must not be empty or only whitespace",
  });
  await assert.rejects(reader(["x".repeat(300)], true).readName(256), {
    name: "RequestError",
    message: "Client name must be at most 256 bytes, got more",
  });
});

Deno.test("readBody() hands on exactly length bytes, in pieces, and no more", async () => {
  const r = reader(["FILE11", ...oneByteWrites("hello "), "world", "FACTORIAL"]);
  assert.equal(await r.readKeyword(), "FILE");
  assert.equal(await r.readNumber("FILE length"), 11);
  const pieces: string[] = [];
  await r.readBody(11, (chunk) => pieces.push(new TextDecoder().decode(chunk)));
  assert.equal(pieces.join(""), "hello world");
  assert.ok(pieces.length > 1);
  assert.equal(await r.readKeyword(), "FACTORIAL");
});

Deno.test("readBody() reads a body that begins with digits as part of the length", async () => {
  // The one ambiguous case: length and a digit-led body in one write.
  const r = reader(["FILE31 2"]);
  await r.readKeyword();
  assert.equal(await r.readNumber("FILE length"), 31);
  // Separate writes are told apart.
  const s = reader(["FILE3", "1 2"]);
  await s.readKeyword();
  assert.equal(await s.readNumber("FILE length"), 3);
});

Deno.test("readBody() rejects a short body and times out on a missing one", async () => {
  const short = reader(["abc"]);
  await assert.rejects(short.readBody(10, () => {}), {
    name: "TruncatedError",
    message: "Connection closed after 3 of 10 bytes of the FILE body",
  });
  const missing = reader(["ab"], true, 5, 30);
  await assert.rejects(missing.readBody(10, () => {}), {
    name: "TimeoutError",
    message: "Timed out after 30 ms waiting for the FILE body (2 of 10 bytes received)",
  });
});

Deno.test("discardBurst() drops bytes until the client pauses", async () => {
  const r = reader(["HELLO there", " more", 80, "COMPLETE"], false, 10);
  await assert.rejects(r.readKeyword(), { name: "RequestError" });
  assert.equal(await r.discardBurst(), " there more".length);
  assert.equal(await r.readKeyword(), "COMPLETE");
});

Deno.test("showBytes() escapes control and non-ASCII bytes", () => {
  assert.equal(showBytes([0x41, 0x00, 0xff, 0x7e]), "A\\x00\\xff~");
});
