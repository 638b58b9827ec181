import assert from "node:assert/strict";
import { HAS_PYTHON, PYTHON } from "../../helpers/students.ts";
import { clientUuid, isUuidText, uuidDigits } from "../../../lib/task2/protocol/client_uuid.ts";

Deno.test("clientUuid() matches the course screenshot's four UUIDs", () => {
  assert.equal(clientUuid("Client1"), "f97e575c28d536b49170f3cbaef757af");
  assert.equal(clientUuid("Client2"), "c5fdeac9dbd9322ca157a09ac7052824");
  assert.equal(clientUuid("Client3"), "5d6dc07b61f93ad9b00e829ee52e6b92");
  assert.equal(clientUuid("Client4"), "64b4bd84dd76328f93d50f0c2a1c8684");
});

Deno.test("clientUuid() gives the same UUID for a name as bytes and as a string", () => {
  assert.equal(clientUuid(new TextEncoder().encode("Client2")), clientUuid("Client2"));
});

Deno.test("clientUuid() writes a version 3 UUID as 32 lowercase hex digits", () => {
  const uuid = clientUuid("python.org");
  // Python: uuid.uuid3(uuid.NAMESPACE_DNS, "python.org") (its documentation's example).
  assert.equal(uuid, "6fa459eaee8a3ca4894edb77e160355e");
  assert.equal(uuid[12], "3");
});

Deno.test("isUuidText() accepts both forms and rejects other text", () => {
  assert.ok(isUuidText("F97E575C28D536B49170F3CBAEF757AF"));
  assert.ok(isUuidText("f97e575c-28d5-36b4-9170-f3cbaef757af"));
  assert.ok(!isUuidText("f97e575c-28d536b4-9170-f3cbaef757af"));
  assert.ok(!isUuidText("g97e575c28d536b49170f3cbaef757af"));
  assert.ok(!isUuidText(""));
});

Deno.test("uuidDigits() makes dashed and undashed forms comparable", () => {
  assert.equal(
    uuidDigits("f97e575c-28d5-36b4-9170-f3cbaef757af"),
    uuidDigits("F97E575C28D536B49170F3CBAEF757AF"),
  );
});

Deno.test({
  name: "clientUuid() agrees with Python's uuid.uuid3(NAMESPACE_DNS, name).hex",
  ignore: !HAS_PYTHON,
  fn: async () => {
    const names = [
      "Client1",
      "",
      "x".repeat(256),
      "\u540d\u524d",
      "tab\tand space",
      ...Array.from({ length: 40 }, (_, i) => `Soak${i * 37}`),
    ];
    const script = "import json, sys, uuid\n" +
      "print(json.dumps([uuid.uuid3(uuid.NAMESPACE_DNS, n).hex for n in json.loads(sys.stdin.read())]))";
    const child = new Deno.Command(PYTHON, {
      args: ["-c", script],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(JSON.stringify(names)));
    await writer.close();
    const output = await child.output();
    assert.ok(output.success);
    assert.deepEqual(
      names.map((name) => clientUuid(name)),
      JSON.parse(new TextDecoder().decode(output.stdout)),
    );
  },
});
