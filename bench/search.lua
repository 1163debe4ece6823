-- wrk: GET /api/v1/items?q=… over a fixed set of 2- and 4-character queries, common and rare,
-- each request the next query of the set (bench/run.sh, the search figure). SEARCH_PATH picks
-- another route taking q (/api/v1/items/suggest?q=).
local queries = {
  "户口", "社保", "登记", "许可", "公积", "执照", "养老", "驾照", "低保", "证明",
  "户口迁移", "营业执照", "结婚登记", "经营许可", "施工许可", "住房公积", "工伤认定", "教师资格",
  "不动产登", "身份证换",
}
local function encode(s)
  return (s:gsub("[^%w]", function(c) return string.format("%%%02X", c:byte()) end))
end
local paths = {}
local base = os.getenv("SEARCH_PATH") or "/api/v1/items?q="
for i, q in ipairs(queries) do paths[i] = base .. encode(q) end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
