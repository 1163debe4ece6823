/*
 * Configuration. One table of settings, each reachable under the same name from the config file
 * (`max-body = 1048576`), the environment (YW_MAX_BODY) and the command line (--max-body), so
 * an operator never has to learn three spellings. Later sources override earlier ones.
 */
#include "base.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const keys[] = {
	"listen", "data", "db", "web", "threads", "max-connections", "timeout",
	"max-body", "max-upload", "max-headers", "sandbox", "log-level", "trusted-proxy",
	"staff-password-max-age-days",
	"public-url", "oidc-token-ttl",
	"webhook-retry-base-ms", "upload-day-limit",
};

void yw_config_defaults(yw_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->listen_host, sizeof(c->listen_host), "127.0.0.1");
	c->listen_port = 8080;
	snprintf(c->data_dir, sizeof(c->data_dir), "./var");
	snprintf(c->db, sizeof(c->db), "sqlite");
	snprintf(c->web_dir, sizeof(c->web_dir), "web/dist");
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	c->threads = n > 0 ? (int)n : 2;
	c->max_connections = 4096;
	c->timeout_s = 30;
	c->max_body = 1 << 20;
	c->max_upload = (size_t)12 << 20;
	c->max_headers = 64;
	c->log_level = YW_LOG_INFO;
	c->oidc_token_ttl_s = 600;
	c->webhook_retry_base_ms = 30000;
	c->upload_day_limit = (long long)500 << 20;
	c->staff_password_max_age_days = 90;
}

static int fail(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
	snprintf(err, errlen, fmt, a, b);
	return -1;
}

static int set_listen(yw_config *c, const char *v, char *err, size_t errlen)
{
	const char *colon = strrchr(v, ':');
	long long port;
	const char *port_s = colon ? colon + 1 : v;
	if (!yw_parse_int(port_s, 0, 65535, &port))
		return fail(err, errlen, "listen 的值 \"%s\" 不正确，应为 主机:端口，例如 127.0.0.1:8080%s", v, "");
	if (colon) {
		size_t hl = (size_t)(colon - v);
		if (hl == 0 || hl >= sizeof(c->listen_host))
			return fail(err, errlen, "listen 的主机部分不正确：\"%s\"%s", v, "");
		memcpy(c->listen_host, v, hl);
		c->listen_host[hl] = '\0';
	}
	c->listen_port = (int)port;
	return 0;
}

static int set_text(char *dst, size_t cap, const char *key, const char *v, char *err, size_t errlen)
{
	if (!*v || strlen(v) >= cap)
		return fail(err, errlen, "%s 的值为空或过长：\"%s\"", key, v);
	snprintf(dst, cap, "%s", v);
	return 0;
}

static int set_number(long long *out, long long min, long long max, const char *key, const char *v,
                      char *err, size_t errlen)
{
	if (!yw_parse_int(v, min, max, out))
		return fail(err, errlen, "%s 的值 \"%s\" 不是允许范围内的整数", key, v);
	return 0;
}

static int set_bool(bool *out, const char *key, const char *v, char *err, size_t errlen)
{
	if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on"))
		*out = true;
	else if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off"))
		*out = false;
	else
		return fail(err, errlen, "%s 的值 \"%s\" 应为 true 或 false", key, v);
	return 0;
}

static int set_log_level(yw_config *c, const char *v, char *err, size_t errlen)
{
	if (yw_log_level_parse(v, &c->log_level))
		return 0;
	return fail(err, errlen, "log-level 的值 \"%s\" 应为 debug、info、warn 或 error%s", v, "");
}

bool yw_config_db_is_postgres(const char *db)
{
	return yw_str_has_prefix(db, "postgres://") || yw_str_has_prefix(db, "postgresql://");
}

static bool db_value_ok(const char *v)
{
	return !strcmp(v, "sqlite") || yw_config_db_is_postgres(v);
}

int yw_config_set(yw_config *c, const char *key, const char *v, char *err, size_t errlen)
{
	long long n;
	if (!strcmp(key, "listen"))
		return set_listen(c, v, err, errlen);
	if (!strcmp(key, "data"))
		return set_text(c->data_dir, sizeof(c->data_dir), key, v, err, errlen);
	if (!strcmp(key, "web"))
		return set_text(c->web_dir, sizeof(c->web_dir), key, v, err, errlen);
	if (!strcmp(key, "db")) {
		if (!db_value_ok(v))
			return fail(err, errlen, "db 的值应为 sqlite 或 postgres://… 连接串，收到 \"%s\"%s", v, "");
		return set_text(c->db, sizeof(c->db), key, v, err, errlen);
	}
	if (!strcmp(key, "threads")) {
		if (set_number(&n, 1, 256, key, v, err, errlen))
			return -1;
		c->threads = (int)n;
		return 0;
	}
	if (!strcmp(key, "max-connections")) {
		if (set_number(&n, 1, 1000000, key, v, err, errlen))
			return -1;
		c->max_connections = (int)n;
		return 0;
	}
	if (!strcmp(key, "timeout")) {
		if (set_number(&n, 1, 3600, key, v, err, errlen))
			return -1;
		c->timeout_s = (int)n;
		return 0;
	}
	if (!strcmp(key, "max-body")) {
		if (set_number(&n, 1024, 1LL << 30, key, v, err, errlen))
			return -1;
		c->max_body = (size_t)n;
		return 0;
	}
	if (!strcmp(key, "max-upload")) {
		if (set_number(&n, 1024, 1LL << 30, key, v, err, errlen))
			return -1;
		c->max_upload = (size_t)n;
		return 0;
	}
	if (!strcmp(key, "max-headers")) {
		if (set_number(&n, 8, 1000, key, v, err, errlen))
			return -1;
		c->max_headers = (int)n;
		return 0;
	}
	if (!strcmp(key, "sandbox"))
		return set_bool(&c->sandbox, key, v, err, errlen);
	if (!strcmp(key, "trusted-proxy")) {
		unsigned char addr[16];
		if (inet_pton(AF_INET, v, addr) != 1 && inet_pton(AF_INET6, v, addr) != 1)
			return fail(err, errlen, "trusted-proxy 的值 \"%s\" 应为一个 IP 地址%s", v, "");
		return set_text(c->trusted_proxy, sizeof(c->trusted_proxy), key, v, err, errlen);
	}
	if (!strcmp(key, "log-level"))
		return set_log_level(c, v, err, errlen);
	if (!strcmp(key, "public-url")) {
		/* the OIDC issuer: clients compare it byte for byte, so an absolute http(s) URL with
		 * no trailing slash, query or fragment */
		size_t len = strlen(v);
		if ((!yw_str_has_prefix(v, "https://") && !yw_str_has_prefix(v, "http://")) || len < 9 ||
		    v[len - 1] == '/' || strpbrk(v, "?# "))
			return fail(err, errlen, "public-url 的值 \"%s\" 应为 http(s)://主机[:端口][/路径]，末尾不带 /%s", v, "");
		return set_text(c->public_url, sizeof(c->public_url), key, v, err, errlen);
	}
	if (!strcmp(key, "oidc-token-ttl")) {
		if (set_number(&n, 1, 86400, key, v, err, errlen))
			return -1;
		c->oidc_token_ttl_s = (int)n;
		return 0;
	}
	if (!strcmp(key, "upload-day-limit")) {
		if (set_number(&n, 1024, 1LL << 40, key, v, err, errlen))
			return -1;
		c->upload_day_limit = n;
		return 0;
	}
	if (!strcmp(key, "webhook-retry-base-ms")) {
		/* small values are for tests that want to see a retry within seconds */
		if (set_number(&n, 100, 3600000, key, v, err, errlen))
			return -1;
		c->webhook_retry_base_ms = (int)n;
		return 0;
	}
	if (!strcmp(key, "staff-password-max-age-days")) {
		if (set_number(&n, 0, 3650, key, v, err, errlen))
			return -1;
		c->staff_password_max_age_days = (int)n;
		return 0;
	}
	return fail(err, errlen, "未知的配置项 \"%s\"%s", key, "");
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int yw_config_load_file(yw_config *c, const char *path, bool required, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (!required && (errno == ENOENT || errno == ENOTDIR))
			return 0;
		snprintf(err, errlen, "无法读取配置文件 %s：%s", path, strerror(errno));
		return -1;
	}
	char line[2048];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "%s 第 %d 行：应为 键 = 值", path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		char msg[512];
		if (yw_config_set(c, trim(s), trim(eq + 1), msg, sizeof(msg))) {
			snprintf(err, errlen, "%s 第 %d 行：%s", path, lineno, msg);
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

int yw_config_load_env(yw_config *c, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char name[64] = "YW_";
		size_t n = 3;
		for (const char *k = keys[i]; *k && n < sizeof(name) - 1; k++)
			name[n++] = *k == '-' ? '_' : (char)toupper((unsigned char)*k);
		name[n] = '\0';
		const char *v = getenv(name);
		if (!v || !*v)
			continue;
		char msg[512];
		if (yw_config_set(c, keys[i], v, msg, sizeof(msg))) {
			snprintf(err, errlen, "环境变量 %s：%s", name, msg);
			return -1;
		}
	}
	return 0;
}
