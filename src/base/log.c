/*
 * The log. Each line is built in a stack buffer and written with one write(2), so lines from
 * the worker threads never interleave and no lock is taken on the request path. What is logged
 * is chosen so that personal data cannot reach it: the route pattern instead of the path, and
 * never a body, a query string or a header value other than the request id.
 */
#include "base.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static yw_log_level min_level = YW_LOG_INFO;
static const char *const level_names[] = { "debug", "info", "warn", "error" };

const char *yw_log_level_name(yw_log_level lvl)
{
	return (unsigned)lvl < 4 ? level_names[lvl] : "info";
}

bool yw_log_level_parse(const char *s, yw_log_level *out)
{
	for (int i = 0; i < 4; i++)
		if (s && !strcmp(s, level_names[i])) {
			*out = (yw_log_level)i;
			return true;
		}
	return false;
}

void yw_log_set_level(yw_log_level lvl) { min_level = lvl; }

static size_t stamp(char *buf, size_t n)
{
	yw_ms now = yw_now_ms();
	time_t secs = (time_t)(now / 1000);
	struct tm tm;
	gmtime_r(&secs, &tm);
	size_t k = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
	int m = snprintf(buf + k, n - k, ".%03dZ", (int)(now % 1000));
	return k + (m > 0 ? (size_t)m : 0);
}

static void emit(char *line, size_t len, size_t cap)
{
	if (len >= cap - 1)
		len = cap - 2;
	line[len++] = '\n';
	ssize_t rc = write(STDERR_FILENO, line, len);
	(void)rc;  /* nowhere to report a failed log write */
}

void yw_log(yw_log_level lvl, const char *fmt, ...)
{
	if (lvl < min_level)
		return;
	char line[1024];
	size_t n = stamp(line, sizeof(line));
	int k = snprintf(line + n, sizeof(line) - n, " %s ", yw_log_level_name(lvl));
	if (k > 0)
		n += (size_t)k;
	va_list ap;
	va_start(ap, fmt);
	k = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (k > 0)
		n += (size_t)k;
	emit(line, n < sizeof(line) ? n : sizeof(line) - 1, sizeof(line));
}

void yw_log_request(const char *request_id, const char *method, const char *route, int status,
                    uint64_t micros)
{
	if (YW_LOG_INFO < min_level)
		return;
	char line[512];
	size_t n = stamp(line, sizeof(line));
	int k = snprintf(line + n, sizeof(line) - n, " req %s %s %s %d %lluus", request_id,
	                 method ? method : "-", route ? route : "-", status,
	                 (unsigned long long)micros);
	if (k > 0)
		n += (size_t)k;
	emit(line, n < sizeof(line) ? n : sizeof(line) - 1, sizeof(line));
}
