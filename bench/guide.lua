-- wrk: GET /api/v1/items/{code}, the guide an applicant opens, each request the next of the codes
-- in GUIDE_CODES (comma-separated; bench/run.sh takes the 100 most popular items).
local codes = {}
for c in string.gmatch(os.getenv("GUIDE_CODES") or "", "[^,]+") do codes[#codes + 1] = "/api/v1/items/" .. c end
if #codes == 0 then error("GUIDE_CODES is empty") end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", codes[(n % #codes) + 1])
end
