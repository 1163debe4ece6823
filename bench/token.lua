-- wrk: the client-credentials token request, the same bytes for yiwang and oidc-provider.
-- BENCH_BASIC is base64(client_id:client_secret) (client_secret_basic).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("BENCH_BASIC")
wrk.body = "grant_type=client_credentials&scope=staff.read"
