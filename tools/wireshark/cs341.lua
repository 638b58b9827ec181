-- Wireshark / tshark dissector for KAIST CS341 Practice #2 (TCP socket practice).
--
-- Task 1 (string decryption service): packets of a 16-byte network-order
-- header (flag, checksum, keyword, sid, length) and data, reassembled across
-- TCP segments, each field shown with the checksum's status (good in the
-- course's byte order, good in RFC 1071 order, or bad with the expected
-- value). Task 2 (compute server): each message as text, with its kind
-- (name, UUID, keyword, number, FILE body, answer and UUID).
--
-- Use:   wireshark -X lua_script:tools/wireshark/cs341.lua capture.pcap
--        tshark -X lua_script:tools/wireshark/cs341.lua -r capture.pcap -O cs341t1
-- or copy this file into Wireshark's personal Lua plugins folder
-- (Help > About > Folders). The TCP ports are preferences
-- (Edit > Preferences > Protocols > CS341T1 / CS341T2; tshark:
-- -o cs341t1.tcp_port:4000 -o cs341t2.tcp_port:1234), and both protocols
-- are offered under Decode As for any other port; on other ports a
-- conversation is also recognised by its first packet (heuristics). See
-- docs/wireshark.md.

local HEADER = 16
local MAX_PACKET = 10000

---------------------------------------------------------------- Task 1

local t1 = Proto("cs341t1", "CS341 Practice #2 Task 1")
local F1 = t1.fields
F1.flag = ProtoField.uint16("cs341t1.flag", "Flag", base.DEC,
  { [0] = "another packet follows", [1] = "last packet" })
F1.checksum = ProtoField.uint16("cs341t1.checksum", "Checksum", base.HEX)
F1.checksum_status = ProtoField.string("cs341t1.checksum.status", "Checksum status")
F1.checksum_expected = ProtoField.uint16("cs341t1.checksum.expected", "Expected checksum", base.HEX)
F1.keyword = ProtoField.string("cs341t1.keyword", "Keyword")
F1.sid = ProtoField.uint32("cs341t1.sid", "Student id (score in a result)", base.DEC)
F1.length = ProtoField.uint32("cs341t1.length", "Length (header included)", base.DEC)
F1.data = ProtoField.bytes("cs341t1.data", "Data")
F1.text = ProtoField.string("cs341t1.text", "Data as text")

local E_checksum = ProtoExpert.new("cs341t1.checksum.bad", "Bad checksum",
  expert.group.CHECKSUM, expert.severity.ERROR)
local E_length = ProtoExpert.new("cs341t1.length.bad", "Length outside 16..10000",
  expert.group.MALFORMED, expert.severity.ERROR)
local E_flag = ProtoExpert.new("cs341t1.flag.bad", "Flag is neither 0 nor 1",
  expert.group.MALFORMED, expert.severity.ERROR)
t1.experts = { E_checksum, E_length, E_flag }

t1.prefs.tcp_port = Pref.uint("TCP port", 4000, "The grading server's TCP port")

-- RFC 1071 over the packet with the checksum field (bytes 2-3) counted as zero,
-- as big-endian 16-bit words; an odd last byte is padded with a zero byte.
local function rfc1071(tvb, length)
  local sum = 0
  local i = 0
  while i + 1 < length do
    if i ~= 2 then sum = sum + tvb:range(i, 2):uint() end
    i = i + 2
  end
  if i < length then sum = sum + tvb:range(i, 1):uint() * 256 end
  while sum > 0xffff do sum = (sum % 65536) + math.floor(sum / 65536) end
  return 0xffff - sum
end

local function swap16(x)
  return (x % 256) * 256 + math.floor(x / 256)
end

local function packet_length(tvb, pinfo, offset)
  local length = tvb:range(offset + 12, 4):uint()
  if length < HEADER or length > MAX_PACKET then return HEADER end
  return length
end

local function dissect_t1_packet(tvb, pinfo, tree)
  local length = tvb:range(12, 4):uint()
  local valid = length >= HEADER and length <= MAX_PACKET
  local size = valid and length or HEADER
  local item = tree:add(t1, tvb:range(0, size))
  local flag = tvb:range(0, 2):uint()
  local flag_item = item:add(F1.flag, tvb:range(0, 2))
  if flag > 1 then flag_item:add_proto_expert_info(E_flag) end
  local field = tvb:range(2, 2):uint()
  local checksum_item = item:add(F1.checksum, tvb:range(2, 2))
  local keyword = tvb:range(4, 4):string()
  item:add(F1.keyword, tvb:range(4, 4))
  item:add(F1.sid, tvb:range(8, 4))
  local length_item = item:add(F1.length, tvb:range(12, 4))
  local status
  if not valid then
    length_item:add_proto_expert_info(E_length)
    status = "not checked (bad length)"
  else
    local rfc = rfc1071(tvb, length)
    if field == swap16(rfc) then
      status = "good (course byte order)"
    elseif field == rfc then
      status = "good (RFC 1071 byte order)"
    else
      status = "bad"
      checksum_item:add_proto_expert_info(E_checksum)
      item:add(F1.checksum_expected, swap16(rfc)):set_generated()
    end
    if length > HEADER then
      local data = tvb:range(HEADER, length - HEADER)
      item:add(F1.data, data)
      item:add(F1.text, data, data:string())
    end
  end
  item:add(F1.checksum_status, status):set_generated()
  item:append_text(string.format(", flag %d, keyword %s, sid %d, length %d, checksum %s",
    flag, keyword, tvb:range(8, 4):uint(), length, status))
  pinfo.cols.protocol = "CS341T1"
  local summary = string.format("%s flag=%d sid=%d len=%d checksum %s", keyword, flag,
    tvb:range(8, 4):uint(), length, status)
  local info = tostring(pinfo.cols.info)
  if info:sub(1, 7) == "CS341T1" then
    pinfo.cols.info:append(" | " .. summary)
  else
    pinfo.cols.info = "CS341T1 " .. summary
  end
  return size
end

function t1.dissector(tvb, pinfo, tree)
  dissect_tcp_pdus(tvb, tree, HEADER, packet_length, dissect_t1_packet)
  return tvb:len()
end

---------------------------------------------------------------- Task 2

local t2 = Proto("cs341t2", "CS341 Practice #2 Task 2")
local F2 = t2.fields
F2.direction = ProtoField.string("cs341t2.direction", "Direction")
F2.kind = ProtoField.string("cs341t2.kind", "Message kind")
F2.text = ProtoField.string("cs341t2.text", "Text")
F2.keyword = ProtoField.string("cs341t2.keyword", "Keyword")
F2.number = ProtoField.string("cs341t2.number", "Number")
F2.answer = ProtoField.string("cs341t2.answer", "Answer")
F2.uuid = ProtoField.string("cs341t2.uuid", "UUID")

t2.prefs.tcp_port = Pref.uint("TCP port", 1234, "The compute server's TCP port")

-- Server ports learnt by the heuristic (from a message only a client sends).
local t2_servers = {}

local KEYWORDS = { FIBONACCI = true, FACTORIAL = true, FILE = true, WORD_COUNT = true, COMPLETE = true }

local function classify(text, to_server)
  local trimmed = text:match("^%s*(.-)%s*$")
  if to_server then
    local word, rest = trimmed:match("^(%a[%a_]*)%s*(.*)$")
    if word and KEYWORDS[word:upper()] then
      return "request keyword", word:upper(), rest ~= "" and rest or nil
    end
    if trimmed:match("^%d+$") then return "number (n or FILE length)", nil, trimmed end
    return "name or FILE body"
  end
  local answer, uuid = trimmed:match("^(%-?%d+)_([%x%-]+)$")
  if answer then return "answer_uuid", nil, nil, answer, uuid end
  if trimmed:match("^%x+$") and #trimmed == 32 or trimmed:match("^%x+%-%x+%-%x+%-%x+%-%x+$") then
    return "UUID", nil, nil, nil, trimmed
  end
  return "reply text"
end

function t2.dissector(tvb, pinfo, tree)
  local length = tvb:len()
  if length == 0 then return 0 end
  local server = t2.prefs.tcp_port
  local to_server = pinfo.dst_port == server or t2_servers[pinfo.dst_port] == true or
    (pinfo.src_port ~= server and not t2_servers[pinfo.src_port] and pinfo.dst_port < pinfo.src_port)
  local text = tvb:range(0, length):string()
  local kind, keyword, number, answer, uuid = classify(text, to_server)
  local item = tree:add(t2, tvb:range(0, length))
  local direction = to_server and "client -> server" or "server -> client"
  item:add(F2.direction, direction):set_generated()
  item:add(F2.kind, kind):set_generated()
  item:add(F2.text, tvb:range(0, length), text)
  if keyword then item:add(F2.keyword, keyword):set_generated() end
  if number then item:add(F2.number, number):set_generated() end
  if answer then item:add(F2.answer, answer):set_generated() end
  if uuid then item:add(F2.uuid, uuid):set_generated() end
  pinfo.cols.protocol = "CS341T2"
  local shown = #text > 60 and (text:sub(1, 60) .. "...") or text
  pinfo.cols.info = string.format("CS341T2 %s %s: %q", direction, kind, shown)
  item:append_text(string.format(", %s, %s", direction, kind))
  return length
end

---------------------------------------------------------------- ports

local tcp_port = DissectorTable.get("tcp.port")
local registered = { [t1] = nil, [t2] = nil }

local function register(proto)
  local port = proto.prefs.tcp_port
  if registered[proto] ~= nil then tcp_port:remove(registered[proto], proto) end
  if port ~= 0 then tcp_port:add(port, proto) end
  registered[proto] = port
end

function t1.prefs_changed() register(t1) end
function t2.prefs_changed() register(t2) end

register(t1)
register(t2)
tcp_port:add_for_decode_as(t1)
tcp_port:add_for_decode_as(t2)

---------------------------------------------------------------- any port

-- Heuristics, so captures on other ports (`grade --pcap` uses free ports)
-- decode without preferences: a TCP payload that starts with a Task 1
-- header whose checksum is right in either byte order, or a Task 2 message
-- only that protocol sends, claims its whole conversation.

local function looks_task1(tvb)
  if tvb:len() < HEADER then return false end
  local flag = tvb:range(0, 2):uint()
  local length = tvb:range(12, 4):uint()
  if flag > 1 or length < HEADER or length > MAX_PACKET then return false end
  for i = 4, 7 do
    local c = tvb:range(i, 1):uint()
    if not ((c >= 65 and c <= 90) or (c >= 97 and c <= 122)) then return false end
  end
  if tvb:len() < length then return true end -- split: the fields alone
  local rfc = rfc1071(tvb, length)
  local field = tvb:range(2, 2):uint()
  return field == rfc or field == swap16(rfc)
end

local function looks_task2(text)
  local word = text:match("^%s*(%a[%a_]*)")
  if word and KEYWORDS[word:upper()] then return true end
  if text:match("^%-?%d+_%x+$") then return #text:match("_(%x+)$") == 32 end
  return text:match("^Client%d+$") ~= nil
end

t1:register_heuristic("tcp", function(tvb, pinfo, tree)
  if not looks_task1(tvb) then return false end
  pinfo.conversation = t1
  t1.dissector(tvb, pinfo, tree)
  return true
end)

t2:register_heuristic("tcp", function(tvb, pinfo, tree)
  if tvb:len() == 0 or tvb:len() > 4096 then return false end
  local text = tvb:range(0, tvb:len()):string()
  if not looks_task2(text) then return false end
  -- A name or keyword goes to the server; an answer comes from it.
  if text:match("^%-?%d+_") then t2_servers[pinfo.src_port] = true
  else t2_servers[pinfo.dst_port] = true end
  pinfo.conversation = t2
  t2.dissector(tvb, pinfo, tree)
  return true
end)
