/*
 * yiwang — the command line. Each subcommand resolves its configuration the same way
 * (defaults < config file < environment < flags), opens what it needs, and exits with a code a
 * script can act on:
 *   0 ok · 1 failure · 2 bad usage · 3 data folder unusable · 4 database unreachable
 *   5 schema newer than this binary · 6 audit chain broken
 */
#include "audit/audit.h"
#include "base/base.h"
#include "cases/cases.h"
#include "demo/demo.h"
#include "events/events.h"
#include "http/http.h"
#include "identity/identity.h"
#include "materials/materials.h"
#include "oidc/oidc.h"
#include "store/store.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { EXIT_USAGE = 2, EXIT_DATA = 3, EXIT_DB = 4, EXIT_SCHEMA = 5, EXIT_AUDIT = 6 };

typedef struct {
	const char *name;
	const char *usage;
	int (*run)(yw_config *c);
	bool serve_flags;   /* accepts the HTTP settings */
} command;

static int cmd_serve(yw_config *c);
static int cmd_migrate(yw_config *c);
static int cmd_audit_verify(yw_config *c);
static int cmd_staff_bootstrap(yw_config *c);
static const char *const staff_bootstrap_flags[] = { "username", "name", "department-name",
                                                     "department-uscc", "division", NULL };
static int cmd_routes(yw_config *c);
static int cmd_demo(yw_config *c);
static const char *const demo_flags[] = { "scale", "cases", NULL };
static int cmd_oidc_rotate_keys(yw_config *c);

static const char common_flags[] =
	"  --data DIR         data folder (default ./var; env YW_DATA)\n"
	"  --db sqlite|URI    database: sqlite (in the data folder) or postgres://… (env YW_DB)\n"
	"  --config FILE      config file (default <data>/yiwang.conf; env YW_CONFIG)\n"
	"  --log-level L      debug, info, warn or error\n";

static const command commands[] = {
	{ "serve",
	  "yiwang serve [--listen HOST:PORT] [--data DIR] [--db sqlite|postgres://…] [flags]\n"
	  "Runs pending migrations and serves the platform.\n"
	  "  --listen HOST:PORT default 127.0.0.1:8080 (env YW_LISTEN; port 0 picks a free one)\n"
	  "  --web DIR          built web app (default web/dist)\n"
	  "  --threads N        HTTP worker threads (default: number of CPUs)\n"
	  "  --max-connections N, --timeout SECONDS, --max-body BYTES, --max-upload BYTES, --max-headers N\n"
	  "  --sandbox          enable the sandbox channels (SMS inbox and the like) for demos and tests\n"
	  "  --trusted-proxy IP the reverse proxy whose X-Real-IP header names the client\n"
	  "  --staff-password-max-age-days N  staff passwords expire after N days (default 90)\n",
	  cmd_serve, true },
	{ "migrate",
	  "yiwang migrate [--data DIR] [--db sqlite|postgres://…]\n"
	  "Runs the pending numbered migrations embedded in this binary. Running it again changes nothing.\n",
	  cmd_migrate, false },
	{ "audit verify",
	  "yiwang audit verify [--data DIR] [--db sqlite|postgres://…]\n"
	  "Checks the hash chain of the audit log and prints the first broken entry, if any.\n",
	  cmd_audit_verify, false },
	{ "staff bootstrap",
	  "yiwang staff bootstrap --username U --name N --department-name NAME --department-uscc USCC\n"
	  "                       --division CODE [--data DIR] [--db …]  < password\n"
	  "Creates the first department, the first staff member and their system_admin role over that\n"
	  "department and division. The initial password is read from standard input (one line); it\n"
	  "must be changed, and TOTP enrolled, at the first login. Refuses when any staff member exists.\n",
	  cmd_staff_bootstrap, false },
	{ "demo",
	  "yiwang demo [--data DIR] [--db sqlite|postgres://…] [--scale N] [--cases N]\n"
	  "Loads the demo region 宿州市 (compiled into this binary): its departments, the items they list\n"
	  "(published) and the themes. What exists is left as it is, so a second run changes nothing.\n"
	  "  --scale N          also N synthetic items built from the real ones (for benchmarks)\n"
	  "  --cases N          also synthetic cases filed against the region's items, up to N in all\n"
	  "                     (a second run adds only what is missing; for the inbox benchmark)\n",
	  cmd_demo, false },
	{ "routes",
	  "yiwang routes\n"
	  "Prints every HTTP route the server registers, one \"METHOD pattern\" per line.\n",
	  cmd_routes, false },
	{ "oidc rotate-keys",
	  "yiwang oidc rotate-keys [--data DIR] [--db sqlite|postgres://…]\n"
	  "Makes a new current OIDC signing key (RS256 and ES256). The previous keys stop signing at\n"
	  "once and stay in the JWKS until every token they signed has expired (oidc-token-ttl plus a\n"
	  "minute); a running server picks the change up within 5 seconds.\n",
	  cmd_oidc_rotate_keys, false },
};

static void usage_all(FILE *f)
{
	fprintf(f, "yiwang %s — 一网通办 integrated online government services platform\n\n"
	           "usage: yiwang <command> [flags]   (yiwang <command> --help for its flags)\n\n"
	           "commands:\n"
	           "  serve          serve the platform over HTTP\n"
	           "  migrate        bring the database schema up to date\n"
	           "  audit verify   check the audit log's hash chain\n"
	           "  staff bootstrap  create the first system administrator\n"
	           "  demo           load the demo region 宿州市 (--scale N: N more items, --cases N: N cases)\n"
	           "  routes         list the HTTP routes\n"
	           "  oidc rotate-keys  new OIDC signing keys (the old ones retire)\n"
	           "  version        print the version\n",
	        YW_VERSION);
}

static void usage(const command *cmd, FILE *f)
{
	fprintf(f, "usage: %sflags common to every command:\n%s", cmd->usage, common_flags);
}

/* Flags are collected first and applied last, because the data folder they name decides which
 * config file is read, and the file must not override them. */
typedef struct {
	const char *key, *value;
} flag;

/* The flags of one command alone (staff bootstrap's), kept for the command to read. */
static flag own_args[16];
static int nown;

static const char *cmd_flag(const char *key)
{
	for (int i = 0; i < nown; i++)
		if (own_args[i].key && !strcmp(own_args[i].key, key))
			return own_args[i].value;
	return NULL;
}

static int parse_flags(const command *cmd, int argc, char **argv, flag *flags, int *nflags,
                       const char **config_file)
{
	static const char *serve_only[] = { "listen", "web", "threads", "max-connections", "timeout",
	                                    "max-body", "max-upload", "upload-day-limit", "max-headers", "sandbox", "trusted-proxy",
	                                    "staff-password-max-age-days" };
	static const char *everywhere[] = { "data", "db", "log-level" };
	*nflags = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(cmd, stdout);
			exit(0);
		}
		if (strncmp(a, "--", 2)) {
			fprintf(stderr, "yiwang %s: 多余的参数 \"%s\"\n", cmd->name, a);
			return -1;
		}
		char key[64];
		const char *eq = strchr(a, '=');
		size_t klen = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		if (klen == 0 || klen >= sizeof(key)) {
			fprintf(stderr, "yiwang %s: 无法识别的参数 \"%s\"\n", cmd->name, a);
			return -1;
		}
		memcpy(key, a + 2, klen);
		key[klen] = '\0';
		bool known = false;
		for (size_t k = 0; k < sizeof(everywhere) / sizeof(*everywhere); k++)
			known |= !strcmp(key, everywhere[k]);
		for (size_t k = 0; cmd->serve_flags && k < sizeof(serve_only) / sizeof(*serve_only); k++)
			known |= !strcmp(key, serve_only[k]);
		bool is_config = !strcmp(key, "config");
		/* flags of one command alone, kept for it to read with cmd_flag */
		const char *const *own_flags = cmd->run == cmd_staff_bootstrap ? staff_bootstrap_flags
		                               : cmd->run == cmd_demo          ? demo_flags
		                                                               : NULL;
		bool own = false;
		for (size_t k = 0; own_flags && own_flags[k]; k++)
			own |= !strcmp(key, own_flags[k]);
		if (!known && !is_config && !own) {
			fprintf(stderr, "yiwang %s: 未知参数 --%s（yiwang %s --help 查看用法）\n", cmd->name, key,
			        cmd->name);
			return -1;
		}
		const char *value;
		if (eq)
			value = eq + 1;
		else if (!strcmp(key, "sandbox"))
			value = "true";
		else if (i + 1 < argc)
			value = argv[++i];
		else {
			fprintf(stderr, "yiwang %s: 参数 --%s 缺少值\n", cmd->name, key);
			return -1;
		}
		if (is_config) {
			*config_file = value;
			continue;
		}
		if (own) {
			if (nown == sizeof(own_args) / sizeof(*own_args))
				return -1;
			own_args[nown].key = strdup(key);
			own_args[nown++].value = value;
			continue;
		}
		flags[*nflags].key = key[0] ? strdup(key) : NULL;
		flags[(*nflags)++].value = value;
		if (*nflags == 32)
			return -1;
	}
	return 0;
}

static int resolve_config(const command *cmd, int argc, char **argv, yw_config *c)
{
	flag flags[32];
	int nflags = 0, rc = -1;
	const char *config_file = getenv("YW_CONFIG");
	char err[1024];
	yw_config_defaults(c);
	if (parse_flags(cmd, argc, argv, flags, &nflags, &config_file))
		goto out;
	/* The data folder decides where the default config file is. */
	const char *data = getenv("YW_DATA");
	for (int i = 0; i < nflags; i++)
		if (!strcmp(flags[i].key, "data"))
			data = flags[i].value;
	if (data && yw_config_set(c, "data", data, err, sizeof(err)))
		goto fail;
	bool required = config_file != NULL;
	if (!config_file)
		snprintf(c->config_file, sizeof(c->config_file), "%s/yiwang.conf", c->data_dir);
	else
		snprintf(c->config_file, sizeof(c->config_file), "%s", config_file);
	if (yw_config_load_file(c, c->config_file, required, err, sizeof(err)) ||
	    yw_config_load_env(c, err, sizeof(err)))
		goto fail;
	for (int i = 0; i < nflags; i++)
		if (yw_config_set(c, flags[i].key, flags[i].value, err, sizeof(err)))
			goto fail;
	yw_log_set_level(c->log_level);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "yiwang %s: %s\n", cmd->name, err);
out:
	for (int i = 0; i < nflags; i++)
		free((char *)flags[i].key);
	return rc;
}

/* The data folder is created when absent (a first `make run`), and must be readable and
 * writable: better to refuse at start than to fail on the first write. */
static int check_data_dir(const yw_config *c)
{
	struct stat st;
	if (stat(c->data_dir, &st) && errno == ENOENT && mkdir(c->data_dir, 0750) == 0)
		return 0;
	if (stat(c->data_dir, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "yiwang: 数据目录 %s 不存在且无法创建，或不是目录\n", c->data_dir);
		return -1;
	}
	if (access(c->data_dir, R_OK | W_OK | X_OK)) {
		fprintf(stderr, "yiwang: 数据目录 %s 不可读写：%s\n", c->data_dir, strerror(errno));
		return -1;
	}
	return 0;
}

static int exit_code_for(yw_err e)
{
	switch (e) {
	case YW_E_DB_UNREACHABLE: return EXIT_DB;
	case YW_E_SCHEMA_TOO_NEW: return EXIT_SCHEMA;
	case YW_E_AUDIT_BROKEN: return EXIT_AUDIT;
	default: return 1;
	}
}

static int open_store(const yw_config *c, yw_store **s, bool migrate)
{
	char err[1024] = "";
	if (check_data_dir(c))
		return EXIT_DATA;
	yw_err e = yw_store_open(c, s, err, sizeof(err));
	if (e) {
		fprintf(stderr, "yiwang: 无法打开数据库：%s\n", err[0] ? err : yw_err_title(e));
		return exit_code_for(e);
	}
	if (!migrate)
		return 0;
	int applied = 0;
	e = yw_store_migrate(*s, &applied, err, sizeof(err));
	if (e) {
		fprintf(stderr, "yiwang: 数据库迁移失败：%s\n", err[0] ? err : yw_err_title(e));
		yw_store_close(*s);
		*s = NULL;
		return exit_code_for(e);
	}
	if (applied)
		yw_log(YW_LOG_INFO, "applied %d migration(s) on %s", applied, yw_store_backend(*s));
	return 0;
}

static int cmd_migrate(yw_config *c)
{
	yw_store *s = NULL;
	int rc = open_store(c, &s, true);
	if (rc)
		return rc;
	int in_db = 0, in_bin = 0;
	yw_store_schema_version(s, &in_db, &in_bin);
	printf("schema version %d (%s)\n", in_db, yw_store_backend(s));
	yw_store_close(s);
	return 0;
}

static int cmd_audit_verify(yw_config *c)
{
	yw_store *s = NULL;
	int rc = open_store(c, &s, false);
	if (rc)
		return rc;
	yw_audit_report rep;
	memset(&rep, 0, sizeof(rep));
	yw_err e = yw_audit_verify(s, &rep);
	if (e == YW_E_OK)
		printf("audit chain ok: %lld entries verified\n", rep.checked);
	else if (e == YW_E_AUDIT_BROKEN)
		printf("audit chain BROKEN at entry %lld: %s\n", rep.first_bad, rep.reason);
	else
		fprintf(stderr, "yiwang audit verify: %s\n", yw_err_title(e));
	yw_store_close(s);
	return e == YW_E_OK ? 0 : exit_code_for(e);
}

/* The password comes on standard input so that it never shows in a process list or a shell
 * history. */
static int cmd_staff_bootstrap(yw_config *c)
{
	char pw[256];
	if (!fgets(pw, sizeof(pw), stdin)) {
		fprintf(stderr, "yiwang staff bootstrap: 请从标准输入提供初始密码（一行）\n");
		return EXIT_USAGE;
	}
	pw[strcspn(pw, "\r\n")] = '\0';
	yw_staff_bootstrap_args a = { cmd_flag("username"), cmd_flag("name"), pw,
	                              cmd_flag("department-name"), cmd_flag("department-uscc"),
	                              cmd_flag("division") };
	if (!a.username || !a.name || !a.department_name || !a.department_uscc || !a.division) {
		fprintf(stderr, "yiwang staff bootstrap: 须给出 --username --name --department-name "
		                "--department-uscc --division\n");
		return EXIT_USAGE;
	}
	yw_store *s = NULL;
	int rc = open_store(c, &s, true);
	if (rc)
		return rc;
	char msg[512] = "";
	yw_err e = yw_staff_bootstrap(s, &a, msg, sizeof(msg));
	yw_store_close(s);
	fprintf(e ? stderr : stdout, "%s%s\n", e ? "yiwang staff bootstrap: " : "", msg);
	return e ? exit_code_for(e) : 0;
}

/* A line now and then for a long --scale: rewritten in place on a terminal, one per 10,000 in a
 * log. */
static void demo_progress(long long done, long long total)
{
	static int tty = -1;
	if (tty < 0)
		tty = isatty(2);
	bool step = done % 10000 < 250;
	if (tty && (step || done == total))
		fprintf(stderr, "\r合成事项 %lld / %lld%s", done, total, done == total ? "\n" : "");
	else if (!tty && step)
		fprintf(stderr, "合成事项 %lld / %lld\n", done, total);
}

/* Cases come 2,000 a write: a line per 100,000, and the last. */
static void demo_case_progress(long long done, long long total)
{
	if (done % 100000 < 2000 || done == total)
		fprintf(stderr, "演示办件 %lld / %lld\n", done, total);
}

static int cmd_demo(yw_config *c)
{
	const char *sc = cmd_flag("scale"), *cs = cmd_flag("cases");
	long long scale = 0, cases = 0;
	if (sc && !yw_parse_int(sc, 0, YW_DEMO_SCALE_MAX, &scale)) {
		fprintf(stderr, "yiwang demo: --scale 应为 0 到 %lld 的整数\n", YW_DEMO_SCALE_MAX);
		return EXIT_USAGE;
	}
	if (cs && !yw_parse_int(cs, 0, YW_DEMO_CASES_MAX, &cases)) {
		fprintf(stderr, "yiwang demo: --cases 应为 0 到 %lld 的整数\n", YW_DEMO_CASES_MAX);
		return EXIT_USAGE;
	}
	yw_store *s = NULL;
	int rc = open_store(c, &s, true);
	if (rc)
		return rc;
	yw_demo_report r;
	char err[1024] = "";
	yw_err e = yw_demo_load(s, scale, cases, &r, demo_progress, demo_case_progress, err, sizeof(err));
	yw_store_close(s);
	if (e) {
		fprintf(stderr, "yiwang demo: %s\n", err[0] ? err : yw_err_title(e));
		return exit_code_for(e);
	}
	printf("宿州市演示数据：部门 新建 %d、已有 %d；事项 新建 %d、已有 %d（%.1f 秒）；主题 新建 %d、已有 %d\n",
	       r.depts_new, r.depts_had, r.items_new, r.items_had, r.seconds_items, r.themes_new,
	       r.themes_had);
	if (scale)
		printf("合成事项：新建 %lld、已有 %lld（%.1f 秒）\n", r.scale_new, r.scale_had, r.seconds_scale);
	if (cases)
		printf("演示办件：新建 %lld、已有 %lld（%.1f 秒）\n", r.cases_new, r.cases_had, r.seconds_cases);
	if (r.topics_dropped)
		printf("注意：%d 个主题分类代码本版本不认识，已略去\n", r.topics_dropped);
	if (!r.depts_new && !r.items_new && !r.themes_new && !r.scale_new && !r.cases_new)
		printf("没有任何改动：演示数据已全部在库中\n");
	return 0;
}

static yw_router *build_router(void)
{
	yw_router *rt = yw_router_new();
	if (!rt)
		return NULL;
	yw_health_routes(rt);
	yw_ref_routes(rt);
	yw_identity_routes(rt);
	yw_notify_routes(rt);
	yw_oidc_routes(rt);
	yw_catalog_routes(rt);
	yw_cases_routes(rt);
	yw_events_routes(rt);
	yw_materials_routes(rt);
	return rt;
}

/* The database (migrated) and the field-encryption keys, which every command that reads or
 * writes sealed values needs together; on failure nothing stays open. */
static int open_store_keys(yw_config *c, const char *cmd, yw_store **s, yw_keys **keys)
{
	int rc = open_store(c, s, true);
	if (rc)
		return rc;
	char err[512] = "";
	if (yw_keys_open(c->data_dir, keys, err, sizeof(err))) {
		fprintf(stderr, "yiwang %s: %s\n", cmd, err);
		yw_store_close(*s);
		*s = NULL;
		return EXIT_DATA;
	}
	return 0;
}

static int cmd_oidc_rotate_keys(yw_config *c)
{
	yw_store *s = NULL;
	yw_keys *keys = NULL;
	int rc = open_store_keys(c, "oidc rotate-keys", &s, &keys);
	if (rc)
		return rc;
	char msg[512] = "";
	yw_err e = yw_oidc_rotate_keys(s, keys, c, msg, sizeof(msg));
	yw_oidc_stop();
	yw_store_close(s);
	yw_keys_close(keys);
	if (e) {
		fprintf(stderr, "yiwang oidc rotate-keys: %s\n", yw_err_title(e));
		return exit_code_for(e);
	}
	printf("new signing keys: %s\n", msg);
	return 0;
}

static void print_route(void *ctx, const char *method, const char *pattern)
{
	(void)ctx;
	printf("%s %s\n", method, pattern);
}

static int cmd_routes(yw_config *c)
{
	(void)c;
	yw_router *rt = build_router();
	if (!rt) {
		fprintf(stderr, "yiwang routes: out of memory\n");
		return 1;
	}
	yw_router_each(rt, print_route, NULL);
	yw_router_free(rt);
	return 0;
}

static int cmd_serve(yw_config *c)
{
	/* Block the stop signals before any thread starts (the store's writer thread included), so
	 * that every thread inherits the mask and only sigwait below receives them: a signal during
	 * start or shutdown then waits its turn instead of killing the process mid-write. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	yw_store *store = NULL;
	yw_keys *keys = NULL;
	int rc = open_store_keys(c, "serve", &store, &keys);
	if (rc)
		return rc;
	char err[512] = "";
	yw_staff_pw_set_max_age_days(c->staff_password_max_age_days);   /* R-ID-010 */
	/* a new build may bring a calendar that reaches further: the due days it can now count */
	int caught = 0;
	yw_err ce = yw_cases_catch_up_clocks(store, &caught);
	if (ce)
		yw_log(YW_LOG_WARN, "due days not recomputed at start: %s", yw_err_title(ce));
	else if (caught)
		yw_log(YW_LOG_INFO, "due days counted for %d case(s) the calendar now reaches", caught);
	yw_app app = { .config = c, .store = store, .keys = keys, .router = build_router(),
	               .before = yw_oidc_before };   /* Bearer → oidc, else the session cookie */
	yw_server *srv = NULL;
	if (!app.router) {
		fprintf(stderr, "yiwang serve: out of memory\n");
		rc = 1;
		goto out;
	}
	/* before the HTTP workers: curl_global_init must come before any other thread uses libcurl
	 * (POST /api/v1/webhooks checks URLs with it) */
	yw_events_set_retry_base_ms(c->webhook_retry_base_ms);
	if (yw_events_start(store, keys)) {
		fprintf(stderr, "yiwang serve: 无法启动事件推送线程\n");
		rc = 1;
		goto out;
	}
	yw_err e = yw_server_start(&app, &srv, err, sizeof(err));
	if (e) {
		fprintf(stderr, "yiwang serve: %s\n", err);
		rc = 1;
		goto out;
	}
	/* the issuer names the port, which is known only now (--listen …:0) */
	if ((e = yw_oidc_start(&app, yw_server_port(srv), err, sizeof(err)))) {
		fprintf(stderr, "yiwang serve: %s\n", err);
		rc = 1;
		goto out;
	}
	printf("yiwang %s listening on http://%s:%d (db %s, data %s)\n", YW_VERSION, c->listen_host,
	       yw_server_port(srv), yw_store_backend(store), c->data_dir);
	fflush(stdout);
	int sig = 0;
	sigwait(&stop, &sig);
	yw_log(YW_LOG_INFO, "signal %d: stopping", sig);
out:
	yw_server_stop(srv);
	yw_events_stop();
	yw_notice_shutdown();   /* after the workers: each held its own fonts (cases.h) */
	yw_router_free(app.router);
	yw_oidc_stop();
	yw_store_close(store);
	yw_keys_close(keys);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage_all(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("yiwang %s\n", YW_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const command *cmd = &commands[i];
		/* "audit verify" is two words on the command line */
		int words = strchr(cmd->name, ' ') ? 2 : 1;
		char joined[64];
		snprintf(joined, sizeof(joined), "%s%s%s", argv[1], words == 2 && argc > 2 ? " " : "",
		         words == 2 && argc > 2 ? argv[2] : "");
		if (strcmp(joined, cmd->name))
			continue;
		yw_config c;
		if (resolve_config(cmd, argc - 1 - words, argv + 1 + words, &c))
			return EXIT_USAGE;
		return cmd->run(&c);
	}
	if (!strcmp(argv[1], "audit")) {
		fprintf(stderr, "usage: yiwang audit verify [--data DIR] [--db …]\n");
		return EXIT_USAGE;
	}
	fprintf(stderr, "yiwang: 未知命令 \"%s\"\n\n", argv[1]);
	usage_all(stderr);
	return EXIT_USAGE;
}
